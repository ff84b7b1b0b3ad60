import sharp from 'sharp';
import { wan25 } from '../../../src/fal/models/wan25.js';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { checkImage } from '../../../src/media/image.js';
import { padPng, pixelBombPng, pngChunk, writeBmp } from '../../support/mediaFiles.js';

function solid(width: number, height: number, channels: 3 | 4 = 3): sharp.Sharp {
  const background = channels === 4 ? { r: 40, g: 90, b: 160, alpha: 0.5 } : { r: 40, g: 90, b: 160 };
  return sharp({ create: { width, height, channels, background } });
}

function noisyRgb(width: number, height: number): sharp.Sharp {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = (i * 7919) % 251;
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

/** The member-facing sentence checkImage rejects with; fails the test on any other outcome. */
async function rejection(bytes: Buffer): Promise<string> {
  const error: unknown = await checkImage(bytes, wan25.image).then(
    () => new Error('expected checkImage to reject'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).memberMessage;
}

const DAMAGED = 'The image is empty or damaged and could not be read.';

describe('checkImage', () => {
  it('accepts a 512×512 RGB PNG and says what it is', async () => {
    const bytes = await solid(512, 512).png().toBuffer();
    await expect(checkImage(bytes, wan25.image)).resolves.toEqual({
      bytes,
      format: 'png',
      mimeType: 'image/png',
      extension: 'png',
      width: 512,
      height: 512,
      hasAlpha: false,
    });
  });

  it.each([
    [359, 800],
    [800, 359],
    [2001, 800],
    [800, 2001],
  ])('rejects a %i×%i PNG with its size and the allowed range', async (width, height) => {
    const bytes = await solid(width, height).png().toBuffer();
    expect(await rejection(bytes)).toBe(
      `The image is ${width}×${height} px; each side must be between 360 and 2000 px.`,
    );
  });

  it.each([
    [360, 360],
    [2000, 2000],
    [360, 2000],
  ])('accepts exactly %i×%i px', async (width, height) => {
    const checked = await checkImage(await solid(width, height).jpeg().toBuffer(), wan25.image);
    expect([checked.format, checked.width, checked.height]).toEqual(['jpeg', width, height]);
  });

  it('rejects a PNG with an alpha channel, saying why', async () => {
    const bytes = await solid(512, 512, 4).png().toBuffer();
    expect(await rejection(bytes)).toMatch(/has transparency; the model needs an image without an alpha channel/);
  });

  it('rejects a palette PNG with a transparent colour the same way', async () => {
    const bytes = await solid(512, 512, 4).png({ palette: true }).toBuffer();
    expect(await rejection(bytes)).toMatch(/has transparency/);
  });

  it('accepts a WEBP with alpha but reports it, for normalisation to flatten', async () => {
    const checked = await checkImage(await solid(512, 512, 4).webp().toBuffer(), wan25.image);
    expect([checked.format, checked.mimeType, checked.extension, checked.hasAlpha]).toEqual([
      'webp',
      'image/webp',
      'webp',
      true,
    ]);
  });

  it('reports width and height as displayed when EXIF orientation turns the picture', async () => {
    // Stored 800×400 landscape, orientation 6 = shown rotated 90°: 400×800 portrait.
    const bytes = await solid(800, 400).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const checked = await checkImage(bytes, wan25.image);
    expect([checked.width, checked.height]).toEqual([400, 800]);
  });

  it('quotes the rotated size when an EXIF-rotated JPEG is out of range', async () => {
    // The range is the same for both sides, so rotation cannot change the verdict,
    // only the size the member reads: they see a 300×1000 picture, not 1000×300.
    const bytes = await solid(1000, 300).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect(await rejection(bytes)).toBe('The image is 300×1000 px; each side must be between 360 and 2000 px.');
  });

  it('accepts a 16-bit PNG', async () => {
    const bytes = await solid(512, 400).toColourspace('rgb16').png().toBuffer();
    expect((await sharp(bytes).metadata()).depth).toBe('ushort');
    const checked = await checkImage(bytes, wan25.image);
    expect([checked.format, checked.width, checked.height, checked.hasAlpha]).toEqual(['png', 512, 400, false]);
  });

  it('accepts a CMYK JPEG', async () => {
    const bytes = await solid(512, 512).toColourspace('cmyk').jpeg().toBuffer();
    expect((await sharp(bytes).metadata()).space).toBe('cmyk');
    const checked = await checkImage(bytes, wan25.image);
    expect([checked.format, checked.mimeType, checked.extension]).toEqual(['jpeg', 'image/jpeg', 'jpg']);
  });

  it('rejects a GIF by name', async () => {
    const bytes = await solid(512, 512).gif().toBuffer();
    expect(await rejection(bytes)).toBe(
      'That file is not a picture the model can use (JPEG, PNG, BMP or WEBP). It looks like a GIF.',
    );
  });

  it('rejects an animated WEBP', async () => {
    const frames = await Promise.all(['#ff0000', '#00ff00'].map((colour) =>
      sharp({ create: { width: 400, height: 400, channels: 3, background: colour } }).png().toBuffer(),
    ));
    const bytes = await sharp(frames, { join: { animated: true } }).webp().toBuffer();
    expect(await rejection(bytes)).toMatch(/is animated; the model needs a single still image/);
  });

  it('rejects an animated PNG (APNG), which sharp would quietly read as its first frame', async () => {
    const png = await solid(512, 512).png().toBuffer();
    const afterIhdr = 8 + 12 + 13;
    const actl = Buffer.alloc(8);
    actl.writeUInt32BE(2, 0); // frames
    const bytes = Buffer.concat([png.subarray(0, afterIhdr), pngChunk('acTL', actl), png.subarray(afterIhdr)]);
    expect(await rejection(bytes)).toMatch(/is animated/);
  });

  it('rejects text whatever the file was called', async () => {
    expect(await rejection(Buffer.from('this is not a picture, despite holiday.png\n'))).toBe(
      'That file is not a picture the model can use (JPEG, PNG, BMP or WEBP). It looks like a text file.',
    );
  });

  it.each([
    ['bare', '<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512"><rect width="512" height="512"/></svg>'],
    ['with an XML declaration', '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'],
  ])('rejects an SVG (%s) without handing it to a renderer', async (_label, text) => {
    expect(await rejection(Buffer.from(text))).toMatch(/not a picture the model can use .* It looks like an SVG drawing\.$/);
  });

  it('rejects a zero-byte file as empty', async () => {
    expect(await rejection(Buffer.alloc(0))).toBe(DAMAGED);
  });

  it.each(['png', 'jpeg', 'webp'] as const)('rejects a truncated %s as damaged', async (format) => {
    const whole = await noisyRgb(512, 512).toFormat(format).toBuffer();
    // Cutting the file in half leaves a readable header over missing pixels.
    expect(await rejection(whole.subarray(0, Math.floor(whole.length / 2)))).toBe(DAMAGED);
  });

  it.each(['jpeg', 'webp'] as const)('rejects a %s cut anywhere in its last kilobyte, where a scaled decode would stop before the cut', async (format) => {
    // 600×450 is not a whole number of 16-pixel blocks: the last rows are the ones a decode at 1/8 skips.
    const whole = await noisyRgb(600, 450).toFormat(format).toBuffer();
    for (const cutBytes of [2, 20, 200, 800]) {
      expect(await rejection(whole.subarray(0, whole.length - cutBytes))).toBe(DAMAGED);
    }
  });

  it('answers every cut-off length of every format with a result or an InputError, never a crash', async () => {
    const files = [
      await noisyRgb(400, 400).png().toBuffer(),
      await noisyRgb(400, 400).jpeg().toBuffer(),
      await noisyRgb(400, 400).webp().toBuffer(),
      writeBmp(400, 400),
    ];
    for (const whole of files) {
      for (const length of [1, 2, 7, 8, 12, 16, 20, 26, 33, 40, 54, 60, 100, 1_000, whole.length - 1]) {
        const outcome: unknown = await checkImage(whole.subarray(0, length), wan25.image).catch((error: unknown) => error);
        // Only a file cut at its very end may still pass (trailing markers are optional to some decoders).
        if (!(outcome instanceof InputError)) expect(length).toBe(whole.length - 1);
      }
    }
  });

  it('rejects a PNG signature followed by garbage as damaged', async () => {
    const png = await solid(512, 512).png().toBuffer();
    const bytes = Buffer.concat([png.subarray(0, 8), Buffer.alloc(200, 0xab)]);
    expect(await rejection(bytes)).toBe(DAMAGED);
  });

  it('rejects a pixel bomb by its declared size, fast and without decoding', async () => {
    const bytes = pixelBombPng(100_000, 100_000);
    expect(bytes.length).toBeLessThan(200);
    const startedAt = performance.now();
    expect(await rejection(bytes)).toBe(
      'The image is 100000×100000 px; each side must be between 360 and 2000 px.',
    );
    // Decoding 10^10 pixels would take minutes and 30 GB; the header takes microseconds.
    expect(performance.now() - startedAt).toBeLessThan(1_000);
  });

  it('accepts a file of exactly the byte cap and rejects one byte more', async () => {
    const png = await solid(512, 512).png().toBuffer();
    const atCap = padPng(png, wan25.image.maxBytes);
    expect((await checkImage(atCap, wan25.image)).width).toBe(512);
    expect(await rejection(padPng(png, wan25.image.maxBytes + 1))).toBe('The image is 10.1 MB; the limit is 10 MB.');
  });

  describe('BMP (read by our own header parser: sharp cannot)', () => {
    it('accepts a 24-bit BMP in range', async () => {
      const bytes = writeBmp(400, 380);
      await expect(checkImage(bytes, wan25.image)).resolves.toEqual({
        bytes,
        format: 'bmp',
        mimeType: 'image/bmp',
        extension: 'bmp',
        width: 400,
        height: 380,
        hasAlpha: false,
      });
    });

    it('accepts a top-down BMP (negative height) with its real height', async () => {
      const checked = await checkImage(writeBmp(401, -360), wan25.image);
      expect([checked.width, checked.height]).toEqual([401, 360]);
    });

    it.each([
      [359, 400],
      [400, -2001],
    ])('rejects a %i×%i BMP with its size', async (width, height) => {
      expect(await rejection(writeBmp(width, height))).toBe(
        `The image is ${width}×${Math.abs(height)} px; each side must be between 360 and 2000 px.`,
      );
    });

    it('rejects a BMP header declaring 100000×100000 px in a tiny file, by its size', async () => {
      const bytes = writeBmp(400, 400).subarray(0, 1_000);
      bytes.writeInt32LE(100_000, 18);
      bytes.writeInt32LE(100_000, 22);
      expect(await rejection(bytes)).toBe('The image is 100000×100000 px; each side must be between 360 and 2000 px.');
    });

    it('rejects a BMP whose pixel data is cut short', async () => {
      const whole = writeBmp(400, 400);
      expect(await rejection(whole.subarray(0, whole.length - 1))).toBe(DAMAGED);
    });

    it.each([
      ['an unknown DIB header size', 14, 41],
      ['zero planes', 26, 0],
      ['7 bits per pixel', 28, 7],
      ['a pixel offset past the end', 10, 0x7fffffff],
      ['embedded-JPEG compression', 30, 4],
    ])('rejects a BMP header with %s as damaged', async (_label, offset, value) => {
      const bytes = writeBmp(400, 400);
      if (offset === 26 || offset === 28) bytes.writeUInt16LE(value, offset);
      else bytes.writeUInt32LE(value, offset);
      expect(await rejection(bytes)).toBe(DAMAGED);
    });

    it('rejects text that merely starts with "BM" as damaged', async () => {
      expect(await rejection(Buffer.from('BM is how this note starts, and it is no bitmap at all.'))).toBe(DAMAGED);
    });
  });
});
