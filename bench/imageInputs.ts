// The pictures the image-check benchmark feeds to both variants. Photo-like
// content (gradients plus noise) so decoders do real work; generated, not
// committed, and the same in every run.
import { constants, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { pixelBombPng, pngChunk } from '../test/support/mediaFiles.js';

export interface ImageInput {
  name: string;
  bytes: Buffer;
}

/**
 * RGB pixels: two smooth waves plus `noiseBits` of deterministic noise, like a
 * photo of a sky. PNGs get less noise so a 2000×2000 one stays under the 10 MiB
 * upload cap, as a real photo saved as PNG (~7 MiB) would.
 */
export function photoLikePixels(width: number, height: number, noiseBits: number): Buffer {
  const columns = Float64Array.from({ length: width }, (_, x) => 60 * Math.sin(x / 53));
  const rows = Float64Array.from({ length: height }, (_, y) => 50 * Math.cos(y / 97));
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 0x2f6b_1d3a;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const base = 128 + columns[x]! + rows[y]!;
      for (let channel = 0; channel < 3; channel += 1) {
        seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
        const noise = (seed >>> (32 - noiseBits)) - (1 << (noiseBits - 1));
        pixels[(y * width + x) * 3 + channel] = Math.max(0, Math.min(255, base + channel * 20 + noise));
      }
    }
  }
  return pixels;
}

export function photoLike(width: number, height: number, noiseBits: number): sharp.Sharp {
  return sharp(photoLikePixels(width, height, noiseBits), { raw: { width, height, channels: 3 } });
}

export const JPEG_NOISE_BITS = 4;
export const PNG_NOISE_BITS = 2;

/**
 * A real decompression bomb: a valid PNG whose zlib stream holds every
 * (all-black) pixel, small on disk and huge once decoded. Its pixel count sits
 * just under sharp's default limit (0x3FFF² ≈ 268 Mpx), so that limit does not
 * stop a full decode.
 */
export function zlibBombPng(side: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  // One filter byte per row, then the row; zeros throughout. Z_RLE squeezes zeros fastest.
  const rows = Buffer.alloc((side * 3 + 1) * side);
  const idat = deflateSync(rows, { level: 9, strategy: constants.Z_RLE });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export const ZLIB_BOMB_SIDE_PX = 16_000;
export const HEADER_BOMB_SIDE_PX = 100_000;

export async function imageInputs(): Promise<ImageInput[]> {
  return [
    { name: 'JPEG 1920×1080', bytes: await photoLike(1920, 1080, JPEG_NOISE_BITS).jpeg({ quality: 85 }).toBuffer() },
    { name: 'PNG 2000×2000', bytes: await photoLike(2000, 2000, PNG_NOISE_BITS).png().toBuffer() },
    { name: 'PNG 400×400', bytes: await photoLike(400, 400, PNG_NOISE_BITS).png().toBuffer() },
    { name: `bomb PNG header ${HEADER_BOMB_SIDE_PX / 1000}k²`, bytes: pixelBombPng(HEADER_BOMB_SIDE_PX, HEADER_BOMB_SIDE_PX) },
    { name: `bomb PNG zlib ${ZLIB_BOMB_SIDE_PX / 1000}k²`, bytes: zlibBombPng(ZLIB_BOMB_SIDE_PX) },
  ];
}

/** A small valid picture each worker checks first, so library start-up stays out of the timings. */
export function warmUpImage(): Promise<Buffer> {
  return photoLike(400, 400, PNG_NOISE_BITS).png().toBuffer();
}
