import { crc32, deflateSync } from 'node:zlib';

/**
 * Hand-built media files for tests: the exact bytes matter (lying headers,
 * byte-exact sizes), so they are written here rather than by an encoder.
 */

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_CHUNK_OVERHEAD = 12; // length + type + CRC

export function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** A valid, tiny PNG whose IHDR declares `width`×`height` RGB pixels it does not contain. */
export function pixelBombPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Grow a PNG to exactly `totalBytes` with a private ancillary chunk, which decoders skip. */
export function padPng(png: Buffer, totalBytes: number): Buffer {
  const iendStart = png.length - PNG_CHUNK_OVERHEAD;
  const paddingBytes = totalBytes - png.length - PNG_CHUNK_OVERHEAD;
  if (paddingBytes < 0) throw new Error(`cannot pad a ${png.length}-byte PNG to ${totalBytes} bytes`);
  return Buffer.concat([png.subarray(0, iendStart), pngChunk('zzPd', Buffer.alloc(paddingBytes)), png.subarray(iendStart)]);
}

/** An uncompressed 24-bit BMP (BITMAPINFOHEADER), mid-grey. Negative height = top-down rows. */
export function writeBmp(width: number, height: number): Buffer {
  const rowBytes = Math.ceil((width * 24) / 32) * 4;
  const pixelBytes = rowBytes * Math.abs(height);
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(54 + pixelBytes, 2);
  header.writeUInt32LE(54, 10); // pixel data offset
  header.writeUInt32LE(40, 14); // DIB header size
  header.writeInt32LE(width, 18);
  header.writeInt32LE(height, 22);
  header.writeUInt16LE(1, 26); // planes
  header.writeUInt16LE(24, 28); // bits per pixel
  header.writeUInt32LE(0, 30); // BI_RGB
  header.writeUInt32LE(pixelBytes, 34);
  return Buffer.concat([header, Buffer.alloc(pixelBytes, 0x80)]);
}

/** A mono 8-bit PCM WAV of `seconds` of a 440 Hz tone at 8 kHz: exact durations, small files. */
export function writeWav(seconds: number, sampleRate = 8000): Buffer {
  const samples = Math.round(seconds * sampleRate);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + samples, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate, 28); // byte rate
  header.writeUInt16LE(1, 32); // block align
  header.writeUInt16LE(8, 34); // bits per sample
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(samples, 40);
  const data = Buffer.alloc(samples);
  for (let i = 0; i < samples; i += 1) data[i] = 128 + Math.round(100 * Math.sin((2 * Math.PI * 440 * i) / sampleRate));
  return Buffer.concat([header, data]);
}

/**
 * A 32-bit BMP with an alpha mask (BITMAPINFOHEADER + BI_ALPHABITFIELDS), rows
 * bottom-up, every pixel the same colour and `alpha(x, y)` (y counted from the top).
 */
export function writeBmpWithAlpha(
  width: number,
  height: number,
  alpha: (x: number, y: number) => number,
  colour: { r: number; g: number; b: number } = { r: 40, g: 90, b: 160 },
): Buffer {
  const headerBytes = 14 + 40 + 16;
  const pixelBytes = width * height * 4;
  const header = Buffer.alloc(headerBytes);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(headerBytes + pixelBytes, 2);
  header.writeUInt32LE(headerBytes, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(width, 18);
  header.writeInt32LE(height, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(32, 28);
  header.writeUInt32LE(6, 30); // BI_ALPHABITFIELDS
  header.writeUInt32LE(pixelBytes, 34);
  header.writeUInt32LE(0x00ff0000, 54);
  header.writeUInt32LE(0x0000ff00, 58);
  header.writeUInt32LE(0x000000ff, 62);
  header.writeUInt32LE(0xff000000, 66);
  const pixels = Buffer.alloc(pixelBytes);
  for (let y = 0; y < height; y += 1) {
    const row = height - 1 - y;
    for (let x = 0; x < width; x += 1) {
      const at = (row * width + x) * 4;
      pixels[at] = colour.b;
      pixels[at + 1] = colour.g;
      pixels[at + 2] = colour.r;
      pixels[at + 3] = alpha(x, y);
    }
  }
  return Buffer.concat([header, pixels]);
}
