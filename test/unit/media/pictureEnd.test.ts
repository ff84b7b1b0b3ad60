import sharp from 'sharp';
import { wan25 } from '../../../src/fal/models/wan25.js';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { checkImage } from '../../../src/media/image.js';
import type { ImageFormat } from '../../../src/media/imageFormat.js';
import { pictureLength } from '../../../src/media/pictureEnd.js';
import { POLYGLOT_HTML, POLYGLOT_ZIP, animatedWebp, cmykJpeg, exifRotatedJpeg, noisyImage, sixteenBitPng } from '../../support/hostileFiles.js';
import { writeBmp } from '../../support/mediaFiles.js';

const noisy = () => noisyImage(400, 380);

/** Well-formed files of every kind the model takes, as encoders really write them. */
const wellFormed: Array<[string, ImageFormat, () => Promise<Buffer> | Buffer]> = [
  ['baseline JPEG', 'jpeg', () => noisy().jpeg().toBuffer()],
  ['progressive JPEG', 'jpeg', () => noisy().jpeg({ progressive: true }).toBuffer()],
  ['mozjpeg JPEG with optimised scans', 'jpeg', () => noisy().jpeg({ mozjpeg: true }).toBuffer()],
  ['4:4:4 JPEG with EXIF and an ICC profile', 'jpeg', () => noisy().jpeg({ chromaSubsampling: '4:4:4' }).withMetadata({ orientation: 3 }).toBuffer()],
  ['EXIF-rotated JPEG', 'jpeg', () => exifRotatedJpeg(800, 400)],
  ['CMYK JPEG', 'jpeg', () => cmykJpeg(400, 400)],
  ['RGB PNG', 'png', () => noisy().png().toBuffer()],
  ['interlaced PNG', 'png', () => noisy().png({ progressive: true }).toBuffer()],
  ['palette PNG', 'png', () => noisy().png({ palette: true }).toBuffer()],
  ['16-bit PNG', 'png', () => sixteenBitPng(400, 400)],
  ['lossy WEBP', 'webp', () => noisy().webp().toBuffer()],
  ['lossless WEBP', 'webp', () => noisy().webp({ lossless: true }).toBuffer()],
  ['animated WEBP', 'webp', () => animatedWebp(400, 400)],
  ['24-bit BMP', 'bmp', () => writeBmp(401, 380)],
  ['top-down BMP', 'bmp', () => writeBmp(400, -360)],
];

describe('pictureLength', () => {
  it.each(wellFormed)('finds the end of a %s exactly at its last byte', async (_label, format, build) => {
    const bytes = await build();
    expect(pictureLength(bytes, format)).toBe(bytes.length);
  });

  it.each(wellFormed)('finds the same end when a payload follows a %s', async (_label, format, build) => {
    const bytes = await build();
    for (const payload of [POLYGLOT_ZIP, POLYGLOT_HTML, Buffer.alloc(3), Buffer.from([0xff, 0xd9, 0xff, 0xd8])]) {
      expect(pictureLength(Buffer.concat([bytes, payload]), format)).toBe(bytes.length);
    }
  });

  it.each(wellFormed)('gives up on a %s cut short, leaving the verdict to the decoder', async (_label, format, build) => {
    const bytes = await build();
    expect(pictureLength(bytes.subarray(0, bytes.length - 1), format)).toBeUndefined();
    expect(pictureLength(bytes.subarray(0, Math.floor(bytes.length / 2)), format)).toBeUndefined();
  });

  it('keeps a BMP V5 colour profile stored after the pixels', () => {
    const pixels = writeBmp(400, 400).subarray(54);
    const header = Buffer.alloc(14 + 124);
    header.write('BM', 0, 'latin1');
    header.writeUInt32LE(header.length, 10); // pixel offset
    header.writeUInt32LE(124, 14);
    header.writeInt32LE(400, 18);
    header.writeInt32LE(400, 22);
    header.writeUInt16LE(1, 26);
    header.writeUInt16LE(24, 28);
    header.writeUInt32LE(0x4d424544, 14 + 56); // 'MBED'
    header.writeUInt32LE(124 + pixels.length, 14 + 112); // profile offset, from the DIB header
    header.writeUInt32LE(100, 14 + 116); // profile size
    const bmp = Buffer.concat([header, pixels, Buffer.alloc(100, 7)]);
    expect(pictureLength(Buffer.concat([bmp, POLYGLOT_ZIP]), 'bmp')).toBe(bmp.length);
  });

  it('walks the restart markers and stuffed bytes of a scan without stopping early', () => {
    // SOI, DRI, SOS, then entropy data holding FF00 (stuffed), FFD0 (restart) and FF FF fill before EOI.
    const sos = Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00]);
    const data = Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xff, 0xd9]);
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xdd, 0x00, 0x04, 0x00, 0x10]), sos, data]);
    expect(pictureLength(Buffer.concat([jpeg, POLYGLOT_HTML]), 'jpeg')).toBe(jpeg.length);
  });
});

describe('checkImage with a polyglot', () => {
  it.each([
    ['PNG', () => noisy().png().toBuffer(), POLYGLOT_ZIP],
    ['JPEG', () => noisy().jpeg().toBuffer(), POLYGLOT_HTML],
    ['WEBP', () => noisy().webp().toBuffer(), POLYGLOT_ZIP],
    ['BMP', () => writeBmp(400, 380), POLYGLOT_HTML],
  ] as const)('returns only the %s, not the payload behind it', async (_label, build, payload) => {
    const picture = await build();
    const checked = await checkImage(Buffer.concat([picture, payload]), wan25.image);
    expect(checked.bytes.equals(picture)).toBe(true);
  });

  it('still refuses the picture part when it is damaged', async () => {
    const whole = await noisy().png().toBuffer();
    const error = await checkImage(Buffer.concat([whole.subarray(0, whole.length / 2), POLYGLOT_ZIP]), wan25.image).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
  });

  it('sends a motion photo (JPEG + video) as its still picture', async () => {
    const still = await noisy().jpeg().toBuffer();
    const fakeVideo = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(4000, 9)]);
    const checked = await checkImage(Buffer.concat([still, fakeVideo]), wan25.image);
    expect(checked.bytes.equals(still)).toBe(true);
    expect((await sharp(checked.bytes).metadata()).format).toBe('jpeg');
  });
});
