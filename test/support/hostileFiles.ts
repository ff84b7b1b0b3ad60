import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { pngChunk } from './mediaFiles.js';

/**
 * Files members send by mistake or on purpose: lying, broken, disguised. Each
 * is built here from a few lines, so a test says exactly what the bytes are.
 */

/** Pixels with no pattern a codec can squeeze: a truncated file then really misses pixels. */
export function noisyImage(width: number, height: number): sharp.Sharp {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = (i * 7919) % 251;
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

function solid(width: number, height: number, background = '#2878c8'): sharp.Sharp {
  return sharp({ create: { width, height, channels: 3, background } });
}

/** Stored `width`×`height`, shown turned a quarter (EXIF orientation 6): `height`×`width` on screen. */
export function exifRotatedJpeg(width: number, height: number): Promise<Buffer> {
  return solid(width, height).jpeg().withMetadata({ orientation: 6 }).toBuffer();
}

export function cmykJpeg(width: number, height: number): Promise<Buffer> {
  return solid(width, height).toColourspace('cmyk').jpeg().toBuffer();
}

export function sixteenBitPng(width: number, height: number): Promise<Buffer> {
  return solid(width, height).toColourspace('rgb16').png().toBuffer();
}

export async function animatedWebp(width: number, height: number): Promise<Buffer> {
  const frames = await Promise.all(['#ff0000', '#00ff00'].map((colour) => solid(width, height, colour).png().toBuffer()));
  return sharp(frames, { join: { animated: true } }).webp().toBuffer();
}

/** A PNG with an acTL chunk: an APNG that most viewers animate and sharp reads as its first frame. */
export async function apng(width: number, height: number): Promise<Buffer> {
  const png = await solid(width, height).png().toBuffer();
  const afterIhdr = 8 + 12 + 13;
  const actl = Buffer.alloc(8);
  actl.writeUInt32BE(2, 0); // frames
  return Buffer.concat([png.subarray(0, afterIhdr), pngChunk('acTL', actl), png.subarray(afterIhdr)]);
}

export const SVG = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512"><rect width="512" height="512"/></svg>',
);

/** A one-file ZIP archive with the file stored (not deflated): readable by any unzip. */
export function storedZip(fileName: string, data: Buffer): Buffer {
  const name = Buffer.from(fileName, 'latin1');
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4); // version needed
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4); // version made by
  central.writeUInt16LE(10, 6); // version needed
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(0, 42); // local header offset
  const centralOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

export const POLYGLOT_HTML = Buffer.from('<html><body><script>fetch("/steal?c="+document.cookie)</script></body></html>\n');
export const POLYGLOT_ZIP = storedZip('payload.sh', Buffer.from('#!/bin/sh\necho pwned\n'));
