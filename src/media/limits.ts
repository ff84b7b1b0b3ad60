/**
 * What fal-ai/wan-25-preview/image-to-video accepts (PROTOCOLS.md §1). Checking
 * these before the paid call lets us tell the member exactly what to fix instead
 * of relaying one of fal's 422s.
 */

/**
 * fal's About text says "10 MB" while its schema allows 25 MB; 10 MiB keeps us
 * inside both readings, and it is also what Discord itself calls "10 MB".
 */
export const IMAGE_MAX_BYTES = 10 * 1024 * 1024;
export const IMAGE_MIN_SIDE_PX = 360;
export const IMAGE_MAX_SIDE_PX = 2000;
/**
 * No image we accept has more pixels than this, so sharp never needs to decode
 * more. A file declaring more is either out of range or a decompression bomb.
 */
export const MAX_INPUT_PIXELS = IMAGE_MAX_SIDE_PX * IMAGE_MAX_SIDE_PX;

/**
 * The largest picture file fitPicture takes in (it re-encodes anything over
 * IMAGE_MAX_BYTES): fal's schema allows 25 MB, and Discord members with larger
 * upload limits can send a 12 MB PNG that fits once compressed. This is the
 * picture download cap and the early size check in commands/animate.ts.
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

/** fal says "up to 15 MB"; read as MiB for the same reason as images. */
export const AUDIO_MAX_BYTES = 15 * 1024 * 1024;
export const AUDIO_MIN_SECONDS = 3;
export const AUDIO_MAX_SECONDS = 30;

/** Discord's CDN answers directly; a couple of hops leaves room for a proxy_url bounce. */
export const DEFAULT_MAX_REDIRECTS = 2;
