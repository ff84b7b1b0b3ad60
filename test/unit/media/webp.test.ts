import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { isLosslessWebp } from '../../../src/media/webp.js';
import { noisyImage } from '../../support/hostileFiles.js';

const frames = () =>
  Promise.all(['#ff0000', '#00ff00'].map((colour) => sharp({ create: { width: 64, height: 64, channels: 3, background: colour } }).png().toBuffer()));

describe('isLosslessWebp', () => {
  it.each([
    ['lossy', false, () => noisyImage(64, 64).webp().toBuffer()],
    ['lossy with alpha (ALPH chunk before VP8)', false, () => noisyImage(64, 64).ensureAlpha(0.5).webp().toBuffer()],
    ['lossless', true, () => noisyImage(64, 64).webp({ lossless: true }).toBuffer()],
    ['animated lossy', false, async () => sharp(await frames(), { join: { animated: true } }).webp().toBuffer()],
    ['animated lossless', true, async () => sharp(await frames(), { join: { animated: true } }).webp({ lossless: true }).toBuffer()],
  ])('tells a %s WEBP', async (_label, lossless, build) => {
    expect(isLosslessWebp(await build())).toBe(lossless);
  });

  it('calls a WEBP with no image chunk, or cut short, not lossless', async () => {
    const whole = await noisyImage(64, 64).webp({ lossless: true }).toBuffer();
    expect(isLosslessWebp(whole.subarray(0, 12))).toBe(false);
    expect(isLosslessWebp(Buffer.from('RIFF\x10\x00\x00\x00WEBPJUNK\xff\xff\xff\xff', 'latin1'))).toBe(false);
  });
});
