import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { wan25 } from '../../../src/fal/models/wan25.js';
import { fitPicture, pictureLimitsFor, type FittedPicture, type PictureLimits } from '../../../src/media/fitPicture.js';
import { checkImage } from '../../../src/media/image.js';
import { PICTURE_MAX_INPUT_BYTES } from '../../../src/media/limits.js';
import { describeChanges } from '../../../src/media/pictureChanges.js';
import { POLYGLOT_ZIP, SVG, apng, cmykJpeg, noisyImage, sixteenBitPng } from '../../support/hostileFiles.js';
import { animated, gradient, halfTransparentPng, pixelAt } from '../../support/images.js';
import { padPng, pixelBombPng, writeBmp, writeBmpWithAlpha } from '../../support/mediaFiles.js';

/** WAN 2.5's picture limits (360–2000 px a side, 10 MiB) with the input caps every fix runs under. */
const PICTURE_LIMITS = pictureLimitsFor(wan25.image);
const IMAGE_MAX_BYTES = wan25.image.maxBytes;

function solid(width: number, height: number, background = '#2878c8'): sharp.Sharp {
  return sharp({ create: { width, height, channels: 3, background } });
}

/** Gaussian noise: no codec squeezes it, so its file size is what its pixels make it. */
function noise(width: number, height: number): sharp.Sharp {
  return sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 50 } } });
}

/**
 * fitPicture, then the proof that fal takes the result: checkImage accepts it
 * and agrees on what it is.
 */
async function fit(bytes: Buffer, limits: PictureLimits = PICTURE_LIMITS): Promise<FittedPicture> {
  const fitted = await fitPicture(bytes, limits);
  const checked = await checkImage(fitted.bytes, wan25.image);
  expect(checked).toEqual({
    bytes: fitted.bytes,
    format: fitted.format,
    mimeType: fitted.mimeType,
    extension: fitted.extension,
    width: fitted.width,
    height: fitted.height,
    hasAlpha: checked.hasAlpha,
  });
  expect(fitted.bytes.length).toBeLessThanOrEqual(IMAGE_MAX_BYTES);
  return fitted;
}

/** The member-facing sentence fitPicture refuses with; fails the test on any other outcome. */
async function refusal(bytes: Buffer, limits: PictureLimits = PICTURE_LIMITS): Promise<string> {
  const error: unknown = await fitPicture(bytes, limits).then(
    () => new Error('expected fitPicture to refuse'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).memberMessage;
}

const line = (fitted: FittedPicture) => describeChanges(fitted.changes);
const DAMAGED = 'The image is empty or damaged and could not be read.';
const WHITE = [255, 255, 255];

describe('fitPicture', () => {
  describe('a picture fal already takes', () => {
    it.each([
      ['JPEG', () => noisyImage(1024, 768).jpeg().toBuffer()],
      ['PNG', () => noisyImage(360, 2000).png().toBuffer()],
      ['lossy WEBP', () => noisyImage(800, 800).webp().toBuffer()],
      ['BMP', () => Promise.resolve(writeBmp(400, 380))],
      ['CMYK JPEG', () => cmykJpeg(512, 512)],
      ['16-bit PNG', () => sixteenBitPng(512, 400)],
    ])('comes back byte-identical with no changes (%s)', async (_label, build) => {
      const bytes = await build();
      const fitted = await fit(bytes);
      expect(fitted.bytes.equals(bytes)).toBe(true);
      expect(fitted.changes).toEqual([]);
      expect(line(fitted)).toBe('');
    });

    it('drops a payload after the picture, as checkImage does, and calls it no change', async () => {
      const picture = await noisyImage(512, 512).png().toBuffer();
      const fitted = await fit(Buffer.concat([picture, POLYGLOT_ZIP]));
      expect(fitted.bytes.equals(picture)).toBe(true);
      expect(fitted.changes).toEqual([]);
    });
  });

  describe('transparency', () => {
    it('makes transparent parts of a PNG white and keeps opaque ones', async () => {
      const fitted = await fit(await halfTransparentPng(800, 600));
      expect([fitted.format, fitted.width, fitted.height]).toEqual(['png', 800, 600]);
      expect((await sharp(fitted.bytes).metadata()).hasAlpha).toBe(false);
      expect(await pixelAt(fitted.bytes, 10, 300)).toEqual(WHITE);
      expect(await pixelAt(fitted.bytes, 790, 300)).toEqual([40, 120, 200]);
      expect(line(fitted)).toBe('made transparent parts white');
    });

    it('blends half-transparent pixels with white', async () => {
      const bytes = await sharp({
        create: { width: 400, height: 400, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } },
      })
        .png()
        .toBuffer();
      // Black at 50% over white: 127 or 128 whatever the rounding.
      const [r, g, b] = await pixelAt((await fit(bytes)).bytes, 200, 200);
      for (const channel of [r, g, b]) expect(Math.abs(channel - 127.5)).toBeLessThanOrEqual(1);
    });

    it('says only "removed an unused transparency channel" when every pixel was opaque', async () => {
      const bytes = await sharp({
        create: { width: 500, height: 400, channels: 4, background: { r: 40, g: 120, b: 200, alpha: 1 } },
      })
        .png()
        .toBuffer();
      const fitted = await fit(bytes);
      expect(fitted.changes).toEqual([{ kind: 'unusedTransparencyRemoved' }]);
      expect(await pixelAt(fitted.bytes, 250, 200)).toEqual([40, 120, 200]);
    });

    it('flattens a palette PNG with a transparent colour', async () => {
      const fitted = await fit(await sharp(await halfTransparentPng(400, 400)).png({ palette: true }).toBuffer());
      expect(await pixelAt(fitted.bytes, 10, 200)).toEqual(WHITE);
      expect(line(fitted)).toBe('made transparent parts white');
    });

    it('flattens a lossy WEBP with alpha into a JPEG', async () => {
      const fitted = await fit(await sharp(await halfTransparentPng(600, 400)).webp().toBuffer());
      expect(fitted.format).toBe('jpeg');
      const [r, g, b] = await pixelAt(fitted.bytes, 10, 200);
      expect(Math.min(r, g, b)).toBeGreaterThan(245);
      expect(line(fitted)).toBe('made transparent parts white · converted WEBP to JPEG');
    });

    it('flattens a lossless WEBP with alpha into a PNG, keeping it lossless', async () => {
      const fitted = await fit(await sharp(await halfTransparentPng(600, 400)).webp({ lossless: true }).toBuffer());
      expect(fitted.format).toBe('png');
      expect(await pixelAt(fitted.bytes, 10, 200)).toEqual(WHITE);
      expect(await pixelAt(fitted.bytes, 590, 200)).toEqual([40, 120, 200]);
      expect(line(fitted)).toBe('made transparent parts white · converted WEBP to PNG');
    });

    it('flattens a 32-bit BMP whose alpha mask has see-through pixels', async () => {
      const bytes = writeBmpWithAlpha(400, 400, (x) => (x < 200 ? 0 : 255));
      const fitted = await fit(bytes);
      expect(await pixelAt(fitted.bytes, 10, 200)).toEqual(WHITE);
      expect(await pixelAt(fitted.bytes, 390, 200)).toEqual([40, 90, 160]);
      expect(line(fitted)).toBe('made transparent parts white · converted BMP to PNG');
    });

    it('reads a BMP whose alpha bytes are all 0 as opaque, as browsers do', async () => {
      const fitted = await fit(writeBmpWithAlpha(400, 400, () => 0));
      expect(await pixelAt(fitted.bytes, 10, 200)).toEqual([40, 90, 160]);
      expect(fitted.changes).toEqual([{ kind: 'unusedTransparencyRemoved' }, { kind: 'converted', from: 'BMP', to: 'PNG' }]);
    });
  });

  describe('size', () => {
    it('scales a 300 px picture up to 360 px on its shorter side', async () => {
      const fitted = await fit(await solid(300, 500).png().toBuffer());
      expect([fitted.format, fitted.width, fitted.height]).toEqual(['png', 360, 600]);
      expect(line(fitted)).toBe('scaled 300×500 → 360×600');
    });

    it('scales a 2400 px picture down to 2000 px', async () => {
      const fitted = await fit(await gradient(2400, 1800).jpeg().toBuffer());
      expect([fitted.format, fitted.width, fitted.height]).toEqual(['jpeg', 2000, 1500]);
      expect(fitted.changes).toEqual([
        { kind: 'scaled', from: { width: 2400, height: 1800 }, to: { width: 2000, height: 1500 } },
      ]);
    });

    it('scales a 6000×4000 photo down to 2000×1333 and keeps it a JPEG', async () => {
      const fitted = await fit(await solid(6000, 4000, '#c86428').jpeg().toBuffer());
      expect([fitted.format, fitted.width, fitted.height]).toEqual(['jpeg', 2000, 1333]);
      const [r, g, b] = await pixelAt(fitted.bytes, 1000, 666);
      expect([r, g, b].map((channel, index) => Math.abs(channel - [200, 100, 40][index]!) <= 3)).toEqual([true, true, true]);
      expect(line(fitted)).toBe('scaled 6000×4000 → 2000×1333');
    });

    it('scales a tall picture by its longer side', async () => {
      const fitted = await fit(await solid(1000, 3000).png().toBuffer());
      expect([fitted.width, fitted.height]).toEqual([667, 2000]);
    });

    it('scales a small BMP up, converting it to PNG', async () => {
      const fitted = await fit(writeBmp(200, 100));
      expect([fitted.format, fitted.width, fitted.height]).toEqual(['png', 720, 360]);
      expect(await pixelAt(fitted.bytes, 360, 180)).toEqual([128, 128, 128]);
      expect(line(fitted)).toBe('scaled 200×100 → 720×360 · converted BMP to PNG');
    });

    it.each([
      [4000, 300, 'The image is 4000×300 px, too long and thin for the model: at 2000 px wide it would be only 150 px tall'],
      [100, 1000, 'The image is 100×1000 px, too long and thin for the model: at 2000 px tall it would be only 200 px wide'],
    ])('refuses a %i×%i picture that no scaling brings into range', async (width, height, start) => {
      expect(await refusal(await solid(width, height).png().toBuffer())).toBe(
        `${start}, and each side must be between 360 and 2000 px. Please crop it.`,
      );
    });

    it('takes the longest shape that still fits, 2000×360', async () => {
      const fitted = await fit(await solid(4000, 720).png().toBuffer());
      expect([fitted.width, fitted.height]).toEqual([2000, 360]);
    });
  });

  describe('formats fal does not take', () => {
    it('keeps the first frame of an animated GIF, as a PNG', async () => {
      const fitted = await fit(await animated('gif', 480, 360));
      expect([fitted.format, fitted.width, fitted.height]).toEqual(['png', 480, 360]);
      expect(await pixelAt(fitted.bytes, 240, 180)).toEqual([255, 0, 0]);
      expect(line(fitted)).toBe('kept only the first frame · converted GIF to PNG');
    });

    it('converts a still GIF to PNG without mentioning transparency it never had', async () => {
      const fitted = await fit(await solid(500, 500).gif().toBuffer());
      expect(line(fitted)).toBe('converted GIF to PNG');
    });

    it('whitens the transparent colour of a GIF', async () => {
      const fitted = await fit(await sharp(await halfTransparentPng(400, 400)).gif().toBuffer());
      expect(await pixelAt(fitted.bytes, 10, 200)).toEqual(WHITE);
      expect(line(fitted)).toBe('made transparent parts white · converted GIF to PNG');
    });

    it('keeps the first frame of an animated WEBP, as a JPEG (it was lossy)', async () => {
      const fitted = await fit(await animated('webp', 400, 400));
      expect(fitted.format).toBe('jpeg');
      const [r, g, b] = await pixelAt(fitted.bytes, 200, 200);
      expect(r).toBeGreaterThan(240);
      expect(Math.max(g, b)).toBeLessThan(15);
      expect(line(fitted)).toBe('kept only the first frame · converted WEBP to JPEG');
    });

    it('keeps the still image of an APNG as a plain PNG', async () => {
      const fitted = await fit(await apng(512, 512));
      expect(fitted.format).toBe('png');
      expect(line(fitted)).toBe('kept only the first frame');
    });

    it.each([
      ['TIFF', () => solid(500, 400).tiff().toBuffer(), 'png'],
      ['AVIF', () => solid(500, 400).avif().toBuffer(), 'jpeg'],
    ] as const)('converts %s (lossless to PNG, lossy to JPEG)', async (name, build, format) => {
      const fitted = await fit(await build());
      expect([fitted.format, fitted.width, fitted.height]).toEqual([format, 500, 400]);
      expect(line(fitted)).toBe(`converted ${name} to ${format.toUpperCase()}`);
    });
  });

  describe('EXIF orientation', () => {
    /** Stored 800×400, dark left half and light right half; orientation 6 shows it turned a quarter clockwise. */
    async function rotatedJpeg(width: number, height: number): Promise<Buffer> {
      const pixels = Buffer.alloc(width * height * 3);
      for (let y = 0; y < height; y += 1) {
        for (let x = 0; x < width; x += 1) pixels.fill(x < width / 2 ? 20 : 235, (y * width + x) * 3, (y * width + x + 1) * 3);
      }
      return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    }

    it('turns the pixels upright, swaps width and height, and drops the tag', async () => {
      const fitted = await fit(await rotatedJpeg(800, 400));
      expect([fitted.format, fitted.width, fitted.height]).toEqual(['jpeg', 400, 800]);
      expect((await sharp(fitted.bytes).metadata()).orientation).toBeUndefined();
      // The stored left half is the top half once turned.
      expect((await pixelAt(fitted.bytes, 200, 100))[0]).toBeLessThan(40);
      expect((await pixelAt(fitted.bytes, 200, 700))[0]).toBeGreaterThan(215);
      expect(line(fitted)).toBe("applied the camera's rotation");
    });

    it('turns and scales in one go, quoting the size as displayed', async () => {
      const fitted = await fit(await rotatedJpeg(3000, 2000));
      expect([fitted.width, fitted.height]).toEqual([1333, 2000]);
      expect((await pixelAt(fitted.bytes, 666, 200))[0]).toBeLessThan(40);
      expect(line(fitted)).toBe("applied the camera's rotation · scaled 2000×3000 → 1333×2000");
    });
  });

  describe('file size', () => {
    it('recompresses a 12 MB PNG into a PNG under the 10 MB limit', async () => {
      const bytes = await gradient(2000, 2000).png({ compressionLevel: 0 }).toBuffer();
      expect(bytes.length).toBeGreaterThan(IMAGE_MAX_BYTES);
      const fitted = await fit(bytes);
      expect([fitted.format, fitted.width, fitted.height]).toEqual(['png', 2000, 2000]);
      expect(fitted.changes).toEqual([{ kind: 'compressed', fromBytes: bytes.length, toBytes: fitted.bytes.length }]);
      expect(line(fitted)).toMatch(/^compressed 11\.5 MB → \d+\.\d MB$/);
      // Lossless: the pixels are the member's.
      expect(await pixelAt(fitted.bytes, 1234, 567)).toEqual(await pixelAt(bytes, 1234, 567));
    });

    it('takes a PNG up to the input cap and refuses one byte more', async () => {
      const png = await solid(512, 512).png().toBuffer();
      const fitted = await fit(padPng(png, PICTURE_MAX_INPUT_BYTES));
      expect(line(fitted)).toMatch(/^compressed 25 MB → 0\.1 MB$/);
      expect(await refusal(padPng(png, PICTURE_MAX_INPUT_BYTES + 1))).toBe('The image is 25.1 MB; the limit is 25 MB.');
    });

    it('falls back to JPEG when even a compressed PNG is too large', async () => {
      const bytes = await noise(400, 400).png().toBuffer();
      const limits = { ...PICTURE_LIMITS, maxBytes: 300_000 };
      expect(bytes.length).toBeGreaterThan(limits.maxBytes);
      const fitted = await fit(bytes, limits);
      expect(fitted.format).toBe('jpeg');
      expect(fitted.bytes.length).toBeLessThanOrEqual(limits.maxBytes);
      expect(line(fitted)).toMatch(/^converted PNG to JPEG · compressed 0\.5 MB → 0\.\d MB$/);
    });

    it('refuses a picture no encoding brings under the limit', async () => {
      const bytes = await noise(400, 400).png().toBuffer();
      expect(await refusal(bytes, { ...PICTURE_LIMITS, maxBytes: 1_000 })).toMatch(
        /^Even compressed, the image is 0\.\d MB; the limit is 0\.1 MB\.$/,
      );
    });
  });

  describe('refusals', () => {
    it('refuses an SVG without handing it to a renderer', async () => {
      expect(await refusal(SVG)).toBe(
        'That file is not a picture I can use (JPEG, PNG, WEBP, BMP, GIF, TIFF or AVIF). It looks like an SVG drawing.',
      );
    });

    it.each([
      ['text', Buffer.from('not a picture, whatever its name says\n'), ' It looks like a text file.'],
      ['a PDF', Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1'), ' It looks like a PDF document.'],
    ])('refuses %s as not a picture', async (_label, bytes, tail) => {
      expect(await refusal(bytes)).toBe(`That file is not a picture I can use (JPEG, PNG, WEBP, BMP, GIF, TIFF or AVIF).${tail}`);
    });

    it('refuses an empty file as damaged', async () => {
      expect(await refusal(Buffer.alloc(0))).toBe(DAMAGED);
    });

    it.each(['png', 'jpeg', 'webp', 'gif'] as const)('refuses a truncated %s as damaged, whether or not it needed fixing', async (format) => {
      for (const [width, height] of [
        [512, 512],
        [2400, 1600],
      ] as const) {
        const whole = await noisyImage(width, height).toFormat(format).toBuffer();
        expect(await refusal(whole.subarray(0, Math.floor(whole.length / 2)))).toBe(DAMAGED);
      }
    });

    it('refuses a BMP cut short as damaged, even one that needed scaling', async () => {
      const whole = writeBmp(200, 100);
      expect(await refusal(whole.subarray(0, whole.length - 1))).toBe(DAMAGED);
    });

    it('refuses to resize a run-length-compressed BMP, saying what to send instead', async () => {
      const bytes = writeBmp(200, 100);
      bytes.writeUInt16LE(8, 28); // 8 bits per pixel
      bytes.writeUInt32LE(1, 30); // BI_RLE8
      expect(await refusal(bytes)).toBe(
        "This BMP would need resizing or re-encoding, and I can't read its run-length-compressed pixels. Please send it as PNG or JPEG.",
      );
    });

    it('refuses a pixel bomb from its header, fast', async () => {
      const bytes = pixelBombPng(100_000, 100_000);
      const startedAt = performance.now();
      expect(await refusal(bytes)).toBe('The image is 100000×100000 px (10,000 megapixels); the limit is 67 megapixels.');
      // Decoding 10^10 pixels would take minutes and 30 GB; the header takes microseconds.
      expect(performance.now() - startedAt).toBeLessThan(1_000);
    });

    it('refuses a BMP header bomb from its header', async () => {
      const bytes = writeBmp(400, 400).subarray(0, 1_000);
      bytes.writeInt32LE(100_000, 18);
      bytes.writeInt32LE(100_000, 22);
      expect(await refusal(bytes)).toBe('The image is 100000×100000 px (10,000 megapixels); the limit is 16 megapixels.');
    });

    it('refuses a real picture just over the pixel limit before decoding it', async () => {
      const bytes = await solid(2001, 1000).png().toBuffer();
      expect(await refusal(bytes, { ...PICTURE_LIMITS, maxInputPixels: 2_000_000 })).toBe(
        'The image is 2001×1000 px (3 megapixels); the limit is 2 megapixels.',
      );
    });

    it('answers every cut-off length of every kind of file with a picture or an InputError, never a crash', async () => {
      const files = [
        await noisyImage(300, 300).png().toBuffer(),
        await noisyImage(300, 300).jpeg().withMetadata({ orientation: 6 }).toBuffer(),
        await noisyImage(300, 300).webp().toBuffer(),
        await noisyImage(300, 300).gif().toBuffer(),
        await noisyImage(300, 300).tiff().toBuffer(),
        writeBmp(300, 300),
        writeBmpWithAlpha(300, 300, (x) => x),
      ];
      for (const whole of files) {
        for (const length of [1, 2, 8, 12, 16, 26, 33, 54, 60, 70, 100, 1_000, Math.floor(whole.length / 2), whole.length - 1]) {
          const outcome: unknown = await fit(whole.subarray(0, length)).catch((error: unknown) => error);
          if (outcome instanceof Error) expect(outcome).toBeInstanceOf(InputError);
          // Only a file cut at its very end may still pass (trailing markers are optional to some decoders).
          else expect(length).toBe(whole.length - 1);
        }
      }
    });

    it('keeps the first frame of a GIF whose later frames are cut off, and refuses one cut inside it', async () => {
      const whole = await animated('gif', 400, 400);
      const outcomes = new Set<string>();
      for (let length = 1; length < whole.length; length += 7) {
        const outcome: unknown = await fit(whole.subarray(0, length)).catch((error: unknown) => error);
        if (outcome instanceof Error) {
          expect((outcome as InputError).memberMessage).toMatch(/damaged|not a picture/);
          outcomes.add('refused');
        } else {
          // Only a whole first frame is ever used: red, never half-decoded.
          expect(await pixelAt((outcome as FittedPicture).bytes, 200, 399)).toEqual([255, 0, 0]);
          outcomes.add('first frame');
        }
      }
      expect(outcomes).toEqual(new Set(['refused', 'first frame']));
    });
  });
});

describe('describeChanges', () => {
  it('joins every kind of change into one short line', () => {
    expect(
      describeChanges([
        { kind: 'firstFrame' },
        { kind: 'turnedUpright' },
        { kind: 'transparencyWhitened' },
        { kind: 'scaled', from: { width: 3000, height: 1800 }, to: { width: 2000, height: 1200 } },
        { kind: 'converted', from: 'GIF', to: 'PNG' },
      ]),
    ).toBe(
      "kept only the first frame · applied the camera's rotation · made transparent parts white · scaled 3000×1800 → 2000×1200 · converted GIF to PNG",
    );
  });

  it('words the rest as a member reads them', () => {
    expect(
      describeChanges([
        { kind: 'unusedTransparencyRemoved' },
        { kind: 'compressed', fromBytes: 12 * 1024 * 1024 + 1, toBytes: 3_300_000 },
      ]),
    ).toBe('removed an unused transparency channel · compressed 12.1 MB → 3.2 MB');
  });

  it("words the line in the member's language", () => {
    expect(
      describeChanges(
        [
          { kind: 'transparencyWhitened' },
          { kind: 'scaled', from: { width: 3000, height: 1800 }, to: { width: 2000, height: 1200 } },
          { kind: 'converted', from: 'GIF', to: 'PNG' },
        ],
        'de',
      ),
    ).toBe('transparente Stellen weiß gemacht · skaliert 3000×1800 → 2000×1200 · GIF in PNG umgewandelt');
  });

  it('is empty when nothing changed', () => {
    expect(describeChanges([])).toBe('');
  });
});
