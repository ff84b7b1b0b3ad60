/**
 * Limits of the media part itself. What a model accepts (sizes, bytes,
 * durations) is the model's to say: src/fal/models, passed in as these shapes.
 */

/** The picture a model takes as its first frame. */
export interface ImageLimits {
  readonly maxBytes: number;
  readonly minSidePx: number;
  readonly maxSidePx: number;
}

export interface AudioLimits {
  readonly maxBytes: number;
  readonly minSeconds: number;
  readonly maxSeconds: number;
}

/**
 * No image we accept has more pixels than this, so sharp never needs to decode
 * more. A file declaring more is either out of range or a decompression bomb.
 */
export function maxInputPixels(limits: ImageLimits): number {
  return limits.maxSidePx * limits.maxSidePx;
}

/**
 * The largest picture file fitPicture takes in (it re-encodes anything over
 * the model's `maxBytes`): fal's schema allows 25 MB, and Discord members with
 * larger upload limits can send a 12 MB PNG that fits once compressed. This is
 * the picture download cap and the early size check in src/jobs/animateRequest.ts.
 */
export const PICTURE_MAX_INPUT_BYTES = 25 * 1024 * 1024;
/**
 * The most pixels fitPicture decodes to scale a picture down: a 64-megapixel
 * phone photo (9248×6936) fits. A header declaring more is refused before any
 * pixel is decoded, as a decompression bomb must be.
 */
export const PICTURE_MAX_INPUT_PIXELS = 8192 * 8192;
/**
 * BMP pixels are decoded by our own code, whole, into memory (3–4 bytes a
 * pixel), unlike sharp's streaming decoders. Any 24-bit BMP under
 * PICTURE_MAX_INPUT_BYTES has under 9 Mpx; only 1–8-bit files can declare more.
 */
export const BMP_MAX_DECODE_PIXELS = 4096 * 4096;

/** Discord's CDN answers directly; a couple of hops leaves room for a proxy_url bounce. */
export const DEFAULT_MAX_REDIRECTS = 2;
