import sharp from 'sharp';
import { InputError } from '../errors.js';
import { localized } from '../i18n/text.js';
import { parseBmpHeader } from './bmp.js';
import { formatMegabytes } from './format.js';
import type { ImageFormat } from './imageFormat.js';
import { maxInputPixels, type ImageLimits } from './limits.js';
import { pictureLength } from './pictureEnd.js';
import { DAMAGED_PICTURE, displaySize, readSharpHeader, type PictureHeader } from './pictureHeader.js';
import { looksLike, sniff } from './sniff.js';

export interface CheckedImage {
  /** The picture itself: bytes after its end marker (a polyglot's payload) are dropped. */
  bytes: Buffer;
  format: ImageFormat;
  mimeType: string;
  /** Without the dot: 'jpg', 'png', 'bmp', 'webp'. */
  extension: string;
  /** As displayed, i.e. after the EXIF orientation is applied. */
  width: number;
  height: number;
  hasAlpha: boolean;
}

const FORMATS: Readonly<Record<string, { format: ImageFormat; mimeType: string; extension: string }>> = {
  jpg: { format: 'jpeg', mimeType: 'image/jpeg', extension: 'jpg' },
  png: { format: 'png', mimeType: 'image/png', extension: 'png' },
  bmp: { format: 'bmp', mimeType: 'image/bmp', extension: 'bmp' },
  webp: { format: 'webp', mimeType: 'image/webp', extension: 'webp' },
};

const ANIMATED = localized('media.animated');
const TRANSPARENT = localized('media.transparent');

/** What we learn from the header alone, before deciding whether decoding is safe. */
interface Probe extends PictureHeader {
  /** The expensive part, run only once the cheap checks passed. Throws InputError. */
  verifyPixels: () => Promise<void>;
}

/**
 * Everything fal would refuse, refused here with a sentence for the member
 * (PROTOCOLS.md §1). Only the header is read until the size is known to be in
 * range, so a tiny file declaring 100000×100000 px costs nothing.
 */
export async function checkImage(bytes: Buffer, limits: ImageLimits): Promise<CheckedImage> {
  if (bytes.length === 0) throw new InputError(DAMAGED_PICTURE, { logMessage: 'image: zero bytes' });
  if (bytes.length > limits.maxBytes) {
    throw new InputError(localized('media.imageTooLarge', { size: formatMegabytes(bytes.length), limit: formatMegabytes(limits.maxBytes) }), {
      logMessage: `image: ${bytes.length} bytes`,
    });
  }

  const sniffed = await sniff(bytes);
  if (sniffed?.ext === 'apng') throw new InputError(ANIMATED, { logMessage: 'image: APNG' });
  const known = sniffed === undefined ? undefined : FORMATS[sniffed.ext];
  if (known === undefined) {
    throw new InputError(localized('media.notAPicture', { hint: looksLike(sniffed) }), {
      logMessage: `image: sniffed as ${sniffed?.mime ?? 'unknown'}`,
    });
  }

  // What fal gets is exactly what was probed and decoded here, and nothing more.
  const end = pictureLength(bytes, known.format);
  const picture = end !== undefined && end < bytes.length ? bytes.subarray(0, end) : bytes;

  const probe =
    known.format === 'bmp' ? probeBmp(picture) : await probeWithSharp(picture, known.format, maxInputPixels(limits), end !== undefined);
  if (probe.frames > 1) {
    throw new InputError(ANIMATED, { logMessage: `image: ${known.format} with ${probe.frames} frames` });
  }

  const { width, height } = displaySize(probe);
  const inRange = (side: number) => side >= limits.minSidePx && side <= limits.maxSidePx;
  if (!inRange(width) || !inRange(height)) {
    throw new InputError(localized('media.imageSides', { width, height, min: limits.minSidePx, max: limits.maxSidePx }));
  }

  // The model page lists "PNG without alpha" (PROTOCOLS.md §1). Flattening onto a
  // colour we would have to guess is left to a later normalisation step.
  if (known.format === 'png' && probe.hasAlpha) {
    throw new InputError(TRANSPARENT, { logMessage: 'image: PNG with alpha' });
  }

  await probe.verifyPixels();

  return { bytes: picture, ...known, width, height, hasAlpha: probe.hasAlpha };
}

async function probeWithSharp(bytes: Buffer, format: Exclude<ImageFormat, 'bmp'>, pixelLimit: number, endFound: boolean): Promise<Probe> {
  const header = await readSharpHeader(bytes, format);
  // A JPEG or WEBP that reaches its end marker (pictureLength) may be decoded at an eighth of its size.
  const scaled = endFound && (format === 'jpeg' || format === 'webp');
  return { ...header, verifyPixels: () => decodeOnce(bytes, format, pixelLimit, scaled ? header : undefined) };
}

/** Decoding at 1/8 of each side: libjpeg and libwebp scale while decoding (shrink-on-load). */
const SCALED_DECODE_FACTOR = 8;

/**
 * A header can be fine while the pixels after it are cut off or garbled;
 * fal's decoder would then refuse the file after we had already reserved
 * quota. Decoding is bounded by the largest picture the model takes, and
 * 'error' (not the default 'warning') keeps the many camera JPEGs that carry
 * harmless libjpeg warnings.
 *
 * With `scaledFrom` (a JPEG or WEBP whose end marker is there) the decoder
 * still reads every block of compressed data, so damage anywhere shows, but
 * produces an eighth of each side: a 1280×960 photo costs a third of the CPU
 * and a 160×120 buffer instead of 3.7 MB (`npm run bench`, README
 * "Benchmarks"). A file cut short has no end marker and is decoded whole, as
 * a scaled decode can stop before its last rows.
 */
async function decodeOnce(bytes: Buffer, format: ImageFormat, pixelLimit: number, scaledFrom?: PictureHeader): Promise<void> {
  try {
    let image = sharp(bytes, { limitInputPixels: pixelLimit, failOn: 'error' });
    if (scaledFrom) {
      const side = (pixels: number) => Math.max(1, Math.floor(pixels / SCALED_DECODE_FACTOR));
      image = image.resize(side(scaledFrom.storedWidth), side(scaledFrom.storedHeight), { fit: 'fill', kernel: 'nearest' });
    }
    // A plain decode to raw pixels reads all the compressed data (so damage shows)
    // and is ~6× faster than .stats(), which also walks every pixel (npm run bench).
    await image.raw().toBuffer();
  } catch (error) {
    throw new InputError(DAMAGED_PICTURE, { cause: error, logMessage: `image: ${format} pixels could not be decoded` });
  }
}

function probeBmp(bytes: Buffer): Probe {
  const header = parseBmpHeader(bytes);
  if (header === undefined) throw new InputError(DAMAGED_PICTURE, { logMessage: 'image: malformed BMP header' });
  const { requiredBytes } = header;
  return {
    storedWidth: header.width,
    storedHeight: header.height,
    orientation: 1,
    hasAlpha: header.hasAlpha,
    frames: 1,
    compression: undefined,
    verifyPixels: () => {
      if (requiredBytes !== undefined && bytes.length < requiredBytes) {
        return Promise.reject(
          new InputError(DAMAGED_PICTURE, { logMessage: `image: BMP has ${bytes.length} of ${requiredBytes} bytes` }),
        );
      }
      return Promise.resolve();
    },
  };
}
