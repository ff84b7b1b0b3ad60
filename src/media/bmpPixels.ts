import type { BmpHeader } from './bmp.js';

/**
 * Pixels of an uncompressed BMP, for sharp to resize (libvips has no BMP
 * loader). Every bit depth BMP allows is read; run-length-encoded files are
 * not (rare, and their length cannot be checked without decoding them).
 * Layout: https://learn.microsoft.com/en-us/windows/win32/gdi/bitmap-storage
 */

export interface RawPixels {
  /** Rows top to bottom, channels interleaved (RGB or RGBA), 8 bits each. */
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

/**
 * RGBA when the header declares an alpha mask, else RGB. Returns undefined for
 * run-length-encoded pixels, a file shorter than its header promises, or bit
 * fields whose masks are missing: none of them can be decoded here.
 *
 * Many writers declare an alpha mask and leave every alpha byte 0; browsers
 * then show the picture opaque, and so do we: all-zero alpha becomes 255.
 */
export function decodeBmp(bytes: Buffer, header: BmpHeader): RawPixels | undefined {
  const { width, height, bitsPerPixel, requiredBytes } = header;
  if (header.runLength || requiredBytes === undefined || bytes.length < requiredBytes) return undefined;
  const channels = header.hasAlpha ? 4 : 3;
  const readPixel = pixelReader(bytes, header);
  if (readPixel === undefined) return undefined;

  const data = Buffer.alloc(width * height * channels);
  const rowBytes = Math.ceil((width * bitsPerPixel) / 32) * 4;
  const rgba = [0, 0, 0, 0];
  let anyAlpha = false;
  for (let y = 0; y < height; y += 1) {
    const storedRow = header.topDown ? y : height - 1 - y;
    const rowStart = header.pixelOffset + storedRow * rowBytes;
    for (let x = 0; x < width; x += 1) {
      readPixel(rowStart, x, rgba);
      const at = (y * width + x) * channels;
      data[at] = rgba[0]!;
      data[at + 1] = rgba[1]!;
      data[at + 2] = rgba[2]!;
      if (channels === 4) {
        data[at + 3] = rgba[3]!;
        if (rgba[3] !== 0) anyAlpha = true;
      }
    }
  }
  if (channels === 4 && !anyAlpha) {
    for (let at = 3; at < data.length; at += 4) data[at] = 255;
  }
  return { data, width, height, channels };
}

type PixelReader = (rowStart: number, x: number, rgba: number[]) => void;

function pixelReader(bytes: Buffer, header: BmpHeader): PixelReader | undefined {
  const { bitsPerPixel, masks, palette } = header;
  if (bitsPerPixel === 24) {
    return (rowStart, x, rgba) => {
      const at = rowStart + x * 3;
      rgba[0] = bytes[at + 2]!;
      rgba[1] = bytes[at + 1]!;
      rgba[2] = bytes[at]!;
    };
  }
  if (bitsPerPixel === 16 || bitsPerPixel === 32) {
    if (masks === undefined) return undefined;
    const red = channelFromMask(masks.red);
    const green = channelFromMask(masks.green);
    const blue = channelFromMask(masks.blue);
    const alpha = channelFromMask(masks.alpha);
    const read =
      bitsPerPixel === 16
        ? (rowStart: number, x: number) => bytes.readUInt16LE(rowStart + x * 2)
        : (rowStart: number, x: number) => bytes.readUInt32LE(rowStart + x * 4);
    return (rowStart, x, rgba) => {
      const pixel = read(rowStart, x);
      rgba[0] = red(pixel);
      rgba[1] = green(pixel);
      rgba[2] = blue(pixel);
      rgba[3] = alpha(pixel);
    };
  }
  if (palette === undefined) return undefined;
  // Indexes past a short colour table read as black, as Windows shows them.
  const colours = Buffer.alloc(256 * 3);
  for (let index = 0; index < palette.entries; index += 1) {
    const entry = palette.offset + index * palette.entryBytes;
    colours[index * 3] = bytes[entry + 2]!;
    colours[index * 3 + 1] = bytes[entry + 1]!;
    colours[index * 3 + 2] = bytes[entry]!;
  }
  const perByte = 8 / bitsPerPixel;
  const indexMask = (1 << bitsPerPixel) - 1;
  return (rowStart, x, rgba) => {
    const byte = bytes[rowStart + Math.floor(x / perByte)]!;
    // The leftmost pixel sits in the most significant bits.
    const shift = 8 - bitsPerPixel * ((x % perByte) + 1);
    const index = (byte >> shift) & indexMask;
    rgba[0] = colours[index * 3]!;
    rgba[1] = colours[index * 3 + 1]!;
    rgba[2] = colours[index * 3 + 2]!;
  };
}

type ChannelReader = (pixel: number) => number;

/** Reads one channel's bits from a pixel and stretches them to 0–255 (5 bits: 31 → 255). */
function channelFromMask(mask: number): ChannelReader {
  if (mask === 0) return () => 0;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift += 1;
  const max = mask >>> shift;
  return (pixel) => Math.round((((pixel & mask) >>> shift) * 255) / max);
}
