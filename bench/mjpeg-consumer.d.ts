declare module 'mjpeg-consumer' {
  import { Transform } from 'node:stream';

  /** Transform stream: multipart MJPEG bytes in, one JPEG Buffer per 'data' event out. */
  export default class MjpegConsumer extends Transform {}
}
