// What fal-ai/wan-25-preview/image-to-video does with `image_url` before it runs (PROTOCOLS.md §1):
// it downloads the picture and refuses, with a 422 naming the limit, anything but a JPEG, PNG without
// alpha, BMP or WEBP with each side 360–2000 px and at most 10 MB. The fake checks the same, so a
// test that sees a job accepted has proof fal would have taken the picture.
import sharp from 'sharp';
import { falValidationError, type FalErrorResponse } from './errors.js';

/** The endpoint these limits belong to; other models' limits are their own, and the fake does not guess them. */
export const WAN25_ENDPOINT = 'fal-ai/wan-25-preview/image-to-video';

export const FAL_IMAGE_LIMITS = { minSidePx: 360, maxSidePx: 2000, maxBytes: 10 * 1024 * 1024 } as const;

/** What fal made of the picture it was sent. */
export interface FalSeenImage {
  format: string;
  width: number;
  height: number;
  hasAlpha: boolean;
  frames: number;
  sizeBytes: number;
}

export type ImageVerdict = { ok: true; image: FalSeenImage } | { ok: false; error: FalErrorResponse; image?: FalSeenImage };

const ACCEPTED = new Set(['jpeg', 'png', 'webp', 'bmp']);
const UNSUPPORTED = (msg: string) => falValidationError('unsupported_image_format', { msg });

export async function judgeImage(bytes: Buffer): Promise<ImageVerdict> {
  const { minSidePx, maxSidePx, maxBytes } = FAL_IMAGE_LIMITS;
  if (bytes.length > maxBytes) {
    return { ok: false, error: falValidationError('file_too_large', { msg: 'File size exceeds the 10 MB limit', ctx: { max_size: maxBytes } }) };
  }
  const image = bmpHeader(bytes) ?? (await sharpHeader(bytes));
  if (image === undefined) return { ok: false, error: falValidationError('image_load_error', { msg: 'Could not load the image' }) };
  if (!ACCEPTED.has(image.format)) return { ok: false, image, error: UNSUPPORTED(`Unsupported image format: ${image.format}`) };
  if (image.frames > 1) return { ok: false, image, error: UNSUPPORTED('Animated images are not supported') };
  if (image.format === 'png' && image.hasAlpha) return { ok: false, image, error: UNSUPPORTED('PNG images with an alpha channel are not supported') };
  if (image.width < minSidePx || image.height < minSidePx) {
    return { ok: false, image, error: falValidationError('image_too_small', { msg: 'Image is too small', ctx: { min_width: minSidePx, min_height: minSidePx } }) };
  }
  if (image.width > maxSidePx || image.height > maxSidePx) {
    return { ok: false, image, error: falValidationError('image_too_large', { msg: 'Image is too large', ctx: { max_width: maxSidePx, max_height: maxSidePx } }) };
  }
  return { ok: true, image };
}

async function sharpHeader(bytes: Buffer): Promise<FalSeenImage | undefined> {
  try {
    const metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
    if (metadata.width === undefined || metadata.height === undefined) return undefined;
    return {
      format: metadata.format,
      width: metadata.width,
      height: metadata.height,
      hasAlpha: metadata.hasAlpha,
      frames: metadata.pages ?? 1,
      sizeBytes: bytes.length,
    };
  } catch {
    return undefined;
  }
}

/** sharp reads no BMP: its header is 'BM', then the size at 18 (width) and 22 (height, negative when top-down). */
function bmpHeader(bytes: Buffer): FalSeenImage | undefined {
  if (bytes.length < 30 || bytes.toString('latin1', 0, 2) !== 'BM') return undefined;
  const bitsPerPixel = bytes.readUInt16LE(28);
  return {
    format: 'bmp',
    width: Math.abs(bytes.readInt32LE(18)),
    height: Math.abs(bytes.readInt32LE(22)),
    // A 32-bit BMP may carry alpha; fal takes BMP whatever its channels.
    hasAlpha: bitsPerPixel === 32,
    frames: 1,
    sizeBytes: bytes.length,
  };
}
