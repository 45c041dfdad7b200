import type { Credentials } from './http-auth.js';

/**
 * Where one stream connects and as whom, resolved once when the run is planned: its URL (the credentials already
 * moved out of it), the headers every request sends, what it answers its camera's challenge with, and the proxy it
 * goes through (to name that proxy in its failures). All of it may be secret (a token in the query, an
 * Authorization header, a password, a proxy's credentials): the fields are private behind getters, so a target
 * printed or serialized by mistake shows nothing. Reports and logs name a stream by its StreamStats.
 */
export class StreamTarget {
  readonly #url: string;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #credentials: Credentials | undefined;
  readonly #proxy: string | undefined;

  constructor(url: string, given: { headers: Readonly<Record<string, string>>; credentials?: Credentials | undefined; proxy?: string | undefined }) {
    this.#url = url;
    // Compressed multipart is parsed only after decoding; asking for none keeps the common case cheap.
    this.#headers = { 'accept-encoding': 'identity', ...given.headers };
    this.#credentials = given.credentials;
    this.#proxy = given.proxy;
  }

  get url(): string {
    return this.#url;
  }

  get headers(): Readonly<Record<string, string>> {
    return this.#headers;
  }

  /** What the stream answers its camera's Basic or Digest challenge with; undefined: nothing. */
  get credentials(): Credentials | undefined {
    return this.#credentials;
  }

  /** The proxy the stream goes through; undefined: straight to the camera. */
  get proxy(): string | undefined {
    return this.#proxy;
  }
}
