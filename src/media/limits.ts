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

/** Discord's CDN answers directly; a couple of hops leaves room for a proxy_url bounce. */
export const DEFAULT_MAX_REDIRECTS = 2;
