import type { Credentials } from '../connection/http-auth.js';

/** A camera to stream from, whatever source listed it. */
export interface Camera {
  /** As the source gave it (the API's id), as text so every source fits. */
  id: string;
  name: string;
  /** Absolute stream URL (fr_url resolved against the API URL). */
  streamUrl: string;
}

/** What a camera source found, with the counts the report shows. */
export interface CameraList {
  cameras: Camera[];
  /** Cameras the source listed, active or not. */
  listed: number;
  /** Cameras with status 1, with or without a usable URL. */
  active: number;
  /** Active cameras skipped because their fr_url was missing or unusable, with the reason. */
  skipped: { id: string; reason: string }[];
}

/** A URL without its `user:password@`, those credentials, and the Basic header they stand for. */
export interface SplitUrl {
  url: string;
  credentials?: Credentials;
  authorization?: string;
}

function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    // Not valid percent-encoding: sent as written, as curl does.
    return part;
  }
}

/**
 * Credentials leave the URL at the edge, so nothing past the camera source ever holds them in a URL (which could
 * be printed): the API gets them as HTTP Basic auth, as curl sends them; a stream answers its camera's challenge.
 */
export function splitUrlCredentials(raw: string): SplitUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { url: raw };
  }
  if (url.username === '' && url.password === '') return { url: raw };
  const credentials = { username: decoded(url.username), password: decoded(url.password) };
  url.username = '';
  url.password = '';
  return { url: url.toString(), credentials, authorization: basicAuthorization(credentials) };
}

export function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
}

/** Headers for one URL: an authorization given explicitly (--header, CAMERA_API_TOKEN) wins over URL credentials. */
export function withAuthorization(explicit: Record<string, string>, authorization: string | undefined): Record<string, string> {
  if (authorization === undefined || 'authorization' in explicit) return explicit;
  return { authorization, ...explicit };
}
