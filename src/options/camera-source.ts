/** Where the cameras come from, as the options name it. */
export type CameraSource =
  | { kind: 'api'; apiUrl: string }
  | { kind: 'file'; path: string }
  | { kind: 'urls'; urls: string[] }
  /** The built-in fleet: the command starts it and reads its camera API like any other. */
  | { kind: 'simulate'; cameras: number; args: string[] };
