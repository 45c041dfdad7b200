/** One multipart part (boundary `frame`) holding a JPEG-shaped body of `size` bytes: SOI, filler, EOI. */
export function jpegPart(size: number): Buffer {
  const jpeg = Buffer.alloc(size, 0x20);
  jpeg.writeUInt16BE(0xffd8, 0);
  jpeg.writeUInt16BE(0xffd9, size - 2);
  return Buffer.concat([Buffer.from(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${size}\r\n\r\n`), jpeg, Buffer.from('\r\n')]);
}
