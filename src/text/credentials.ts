// How credentials reach the camera API and the streams, in the words every message uses (the analysis, the error
// codes, the API source, `camera-load cameras`), so that no two of them name different ways. What each way reaches
// is what src/cameras/load-cameras.ts does: --header and CAMERA_API_TOKEN go to the API's host and every stream
// given by --url or --cameras-file; user:password, --camera-auth and CAMERA_AUTH answer a Basic or Digest challenge.

const BEARER = "--header 'Authorization: Bearer <token>' or CAMERA_API_TOKEN for a bearer token";
const CAMERA_AUTH = '--camera-auth user:password or CAMERA_AUTH';

/** Both ways to give streams credentials. */
export const STREAM_CREDENTIALS =
  `user:password@ in the stream URL, ${CAMERA_AUTH} for Basic or Digest; ` +
  `${BEARER} (sent to streams on the API's host, and to every --url and --cameras-file stream)`;

/** Both ways for the streams of a cameras file, whose URLs hold no credentials. */
export const FILE_STREAM_CREDENTIALS = `${CAMERA_AUTH} for Basic or Digest; ${BEARER}`;

/** Both ways to give the camera API credentials. */
export const API_CREDENTIALS = `user:password@ in --api-url for Basic; ${BEARER}`;
