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
