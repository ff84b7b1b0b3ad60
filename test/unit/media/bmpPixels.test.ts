import { describe, expect, it } from 'vitest';
import { parseBmpHeader } from '../../../src/media/bmp.js';
import { decodeBmp, type RawPixels } from '../../../src/media/bmpPixels.js';
import { writeBmp, writeBmpWithAlpha } from '../../support/mediaFiles.js';

interface BmpSpec {
  width: number;
  /** Negative: rows stored top-down. */
  height: number;
  bitsPerPixel: 1 | 4 | 8 | 16 | 24 | 32;
  /** 0 = BI_RGB, 3 = BI_BITFIELDS. */
  compression?: 0 | 3;
  masks?: [number, number, number];
  /** [r, g, b] entries, for 1–8 bits per pixel. */
  palette?: Array<[number, number, number]>;
  /** The stored value of the pixel at (x, y), y from the top: a palette index, or the packed pixel. */
  pixel: (x: number, y: number) => number;
}

/** A BITMAPINFOHEADER BMP built bit by bit, so each test says exactly what the bytes are. */
function buildBmp(spec: BmpSpec): Buffer {
  const { width, bitsPerPixel } = spec;
  const height = Math.abs(spec.height);
  const masks = spec.masks === undefined ? Buffer.alloc(0) : Buffer.alloc(12);
  spec.masks?.forEach((mask, index) => masks.writeUInt32LE(mask, index * 4));
  const palette = Buffer.alloc((spec.palette?.length ?? 0) * 4);
  spec.palette?.forEach(([r, g, b], index) => palette.set([b, g, r, 0], index * 4));
  const pixelOffset = 54 + masks.length + palette.length;
  const rowBytes = Math.ceil((width * bitsPerPixel) / 32) * 4;
  const pixels = Buffer.alloc(rowBytes * height);
  for (let y = 0; y < height; y += 1) {
    const row = (spec.height < 0 ? y : height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x += 1) {
      const value = spec.pixel(x, y);
      if (bitsPerPixel < 8) {
        const perByte = 8 / bitsPerPixel;
        const shift = 8 - bitsPerPixel * ((x % perByte) + 1);
        pixels[row + Math.floor(x / perByte)]! |= value << shift;
      } else if (bitsPerPixel === 24) {
        pixels.set([value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff], row + x * 3);
      } else {
        pixels.writeUIntLE(value, row + x * (bitsPerPixel / 8), bitsPerPixel / 8);
      }
    }
  }
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(pixelOffset + pixels.length, 2);
  header.writeUInt32LE(pixelOffset, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(width, 18);
  header.writeInt32LE(spec.height, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(bitsPerPixel, 28);
  header.writeUInt32LE(spec.compression ?? 0, 30);
  header.writeUInt32LE(spec.palette?.length ?? 0, 46);
  return Buffer.concat([header, masks, palette, pixels]);
}

function decode(bytes: Buffer): RawPixels {
  const header = parseBmpHeader(bytes);
  if (header === undefined) throw new Error('test BMP header did not parse');
  const decoded = decodeBmp(bytes, header);
  if (decoded === undefined) throw new Error('test BMP did not decode');
  return decoded;
}

function rgbAt(pixels: RawPixels, x: number, y: number): number[] {
  const at = (y * pixels.width + x) * pixels.channels;
  return [...pixels.data.subarray(at, at + pixels.channels)];
}

const RED = 0xff0000;
const BLUE = 0x0000ff;

describe('decodeBmp', () => {
  it('reads a 24-bit BMP bottom-up rows into top-down RGB', () => {
    const pixels = decode(buildBmp({ width: 5, height: 3, bitsPerPixel: 24, pixel: (_x, y) => (y === 0 ? RED : BLUE) }));
    expect([pixels.width, pixels.height, pixels.channels]).toEqual([5, 3, 3]);
    expect(rgbAt(pixels, 4, 0)).toEqual([255, 0, 0]);
    expect(rgbAt(pixels, 4, 2)).toEqual([0, 0, 255]);
  });

  it('reads top-down rows (negative height) in order', () => {
    const pixels = decode(buildBmp({ width: 3, height: -2, bitsPerPixel: 24, pixel: (_x, y) => (y === 0 ? RED : BLUE) }));
    expect(rgbAt(pixels, 0, 0)).toEqual([255, 0, 0]);
    expect(rgbAt(pixels, 0, 1)).toEqual([0, 0, 255]);
  });

  it.each([1, 4, 8] as const)('looks %i-bit pixels up in the colour table, leftmost pixel in the high bits', (bitsPerPixel) => {
    const palette: Array<[number, number, number]> = [
      [10, 20, 30],
      [200, 100, 50],
    ];
    const pixels = decode(buildBmp({ width: 9, height: 2, bitsPerPixel, palette, pixel: (x) => x % 2 }));
    expect(rgbAt(pixels, 0, 0)).toEqual([10, 20, 30]);
    expect(rgbAt(pixels, 1, 0)).toEqual([200, 100, 50]);
    expect(rgbAt(pixels, 8, 1)).toEqual([10, 20, 30]);
  });

  it('shows an index past a short colour table as black', () => {
    const pixels = decode(buildBmp({ width: 2, height: 1, bitsPerPixel: 8, palette: [[9, 9, 9]], pixel: (x) => x * 200 }));
    expect(rgbAt(pixels, 0, 0)).toEqual([9, 9, 9]);
    expect(rgbAt(pixels, 1, 0)).toEqual([0, 0, 0]);
  });

  it('reads 16-bit pixels as 5-5-5 without bit fields, stretching 31 to 255', () => {
    const pixels = decode(buildBmp({ width: 2, height: 1, bitsPerPixel: 16, pixel: (x) => (x === 0 ? 0x7c00 : 0x0010) }));
    expect(rgbAt(pixels, 0, 0)).toEqual([255, 0, 0]);
    expect(rgbAt(pixels, 1, 0)).toEqual([0, 0, 132]);
  });

  it('reads 16-bit 5-6-5 pixels by their bit fields', () => {
    const pixels = decode(
      buildBmp({ width: 1, height: 1, bitsPerPixel: 16, compression: 3, masks: [0xf800, 0x07e0, 0x001f], pixel: () => 0x07e0 }),
    );
    expect(rgbAt(pixels, 0, 0)).toEqual([0, 255, 0]);
  });

  it('ignores the fourth byte of a plain 32-bit pixel', () => {
    const pixels = decode(buildBmp({ width: 1, height: 1, bitsPerPixel: 32, pixel: () => 0x7f112233 }));
    expect([pixels.channels, ...rgbAt(pixels, 0, 0)]).toEqual([3, 0x11, 0x22, 0x33]);
  });

  it('reads RGBA when the header declares an alpha mask', () => {
    const pixels = decode(writeBmpWithAlpha(4, 2, (x) => x * 60));
    expect(pixels.channels).toBe(4);
    expect(rgbAt(pixels, 0, 0)).toEqual([40, 90, 160, 0]);
    expect(rgbAt(pixels, 3, 1)).toEqual([40, 90, 160, 180]);
  });

  it('makes an alpha channel of all zeros opaque, as browsers show such files', () => {
    const pixels = decode(writeBmpWithAlpha(3, 3, () => 0));
    expect(rgbAt(pixels, 1, 1)).toEqual([40, 90, 160, 255]);
  });

  it('decodes nothing from a file cut short or run-length encoded', () => {
    const whole = writeBmp(4, 4);
    const header = parseBmpHeader(whole)!;
    expect(decodeBmp(whole.subarray(0, whole.length - 1), header)).toBeUndefined();
    const rle = buildBmp({ width: 4, height: 4, bitsPerPixel: 8, palette: [[0, 0, 0]], pixel: () => 0 });
    rle.writeUInt32LE(1, 30); // BI_RLE8
    expect(decodeBmp(rle, parseBmpHeader(rle)!)).toBeUndefined();
  });
});
