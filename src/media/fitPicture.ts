import sharp from 'sharp';
import { InputError, UserFacingError } from '../errors.js';
import { decodeBmp } from './bmpPixels.js';
import { formatMegabytes } from './format.js';
import { checkImage, type CheckedImage } from './image.js';
import type { ImageFormat } from './imageFormat.js';
import { PICTURE_MAX_INPUT_BYTES, PICTURE_MAX_INPUT_PIXELS, type ImageLimits } from './limits.js';
import type { PictureChange } from './pictureChanges.js';
import { DAMAGED_PICTURE } from './pictureHeader.js';
import { fittedSize, type PictureSize } from './pictureSize.js';
import { readSource, type SourcePicture } from './pictureSource.js';
import { localized } from '../i18n/text.js';

/**
 * A picture fal takes (it passes checkImage), made from what the member sent,
 * with what was done to it. A picture that needed nothing is the member's own
 * bytes (minus anything after its end marker, as checkImage drops it) and
 * `changes` is empty; otherwise `changes` is never empty.
 */
export interface FittedPicture {
  bytes: Buffer;
  format: ImageFormat;
  mimeType: string;
  /** Without the dot: 'jpg', 'png', 'bmp', 'webp'. */
  extension: string;
  width: number;
  height: number;
  changes: PictureChange[];
}

/** What the model takes (its `maxBytes` is the largest file handed on), and what is taken in to fix. */
export interface PictureLimits extends ImageLimits {
  /** The largest file taken in: the picture download cap. */
  readonly maxInputBytes: number;
  /** The most pixels a header may declare; more is refused before decoding. */
  readonly maxInputPixels: number;
}

/** A model's picture limits with the input caps every fix runs under. */
export function pictureLimitsFor(model: ImageLimits): PictureLimits {
  return { ...model, maxInputBytes: PICTURE_MAX_INPUT_BYTES, maxInputPixels: PICTURE_MAX_INPUT_PIXELS };
}

type Encoding = 'png' | 'jpeg';

const WHITE = { r: 255, g: 255, b: 255 };
// Visually lossless for a photo; fal scales the picture to the video's size anyway.
const JPEG_QUALITY = 90;

/**
 * Fix what fal would refuse and can be fixed without the member's judgement;
 * refuse the rest with a sentence for the member (an InputError):
 *
 * - any alpha channel is flattened onto white (fal wants PNG without alpha;
 *   WEBP and BMP too, so no picture depends on what fal's decoder makes of
 *   transparent pixels, often black). The member reads "made
 *   transparent parts white" when some pixel was see-through, "removed an
 *   unused transparency channel" when none was (nothing, for a GIF: sharp
 *   gives every GIF an alpha channel, so it was never the member's);
 * - a longer side over the model's maxSidePx (2000 px for WAN 2.5) is scaled
 *   down, a shorter side under minSidePx (360 px) up, keeping the shape; a
 *   picture too long and thin for both is refused;
 * - GIF, TIFF and AVIF become PNG or JPEG, an animation its first frame;
 * - the EXIF orientation is applied to the pixels (and the tag dropped);
 * - a file over the model's maxBytes is re-encoded until it fits.
 *
 * A picture needing none of this is not re-encoded: it is what checkImage
 * returns for it. Pixels are decoded only after the header has passed every
 * check, and never more than maxInputPixels of them. What is re-encoded
 * becomes JPEG when the source was lossy (JPEG, lossy WEBP, AVIF), else PNG,
 * falling back to JPEG when the PNG would be too large. Every result passes
 * checkImage, which runs on it before it is returned.
 */
export async function fitPicture(bytes: Buffer, limits: PictureLimits): Promise<FittedPicture> {
  const source = await readSource(bytes, limits);
  const target = fittedSize(source.display, limits);
  const turn = source.header.orientation >= 2 && source.header.orientation <= 8;
  const scale = target.width !== source.display.width || target.height !== source.display.height;
  const tooLarge = source.bytes.length > limits.maxBytes;
  const untouched =
    source.accepted !== undefined && !source.animated && !turn && !source.header.hasAlpha && !scale && !tooLarge;
  if (untouched) return { ...withoutAlphaFlag(await checkImage(source.bytes, limits)), changes: [] };

  const pixels = await uprightPixels(source, target, { turn, scale, maxPixels: limits.maxInputPixels });
  const transparency = pixels.channels === 2 || pixels.channels === 4 ? transparencyOf(pixels, source) : undefined;
  const { encoding, bytes: encoded } = await encodeWithin(pixels, source.lossy ? ['jpeg'] : ['png', 'jpeg'], limits);

  // What happened to the picture first, then what happened to the file.
  const changes: PictureChange[] = [];
  if (source.animated) changes.push({ kind: 'firstFrame' });
  if (turn) changes.push({ kind: 'turnedUpright' });
  if (transparency !== undefined) changes.push(transparency);
  if (scale) changes.push({ kind: 'scaled', from: source.display, to: target });
  const outputName = encoding === 'jpeg' ? 'JPEG' : 'PNG';
  if (outputName !== source.name) changes.push({ kind: 'converted', from: source.name, to: outputName });
  // Scaling explains a smaller file by itself; compression is news only without it.
  if (tooLarge && !scale) changes.push({ kind: 'compressed', fromBytes: bytes.length, toBytes: encoded.length });

  return { ...withoutAlphaFlag(await checkOutput(encoded, limits)), changes };
}

interface DecodedPixels {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

/** Decoded, turned upright and at the target size: at most 2000×2000, so a few MB whatever the source. */
async function uprightPixels(
  source: SourcePicture,
  target: PictureSize,
  steps: { turn: boolean; scale: boolean; maxPixels: number },
): Promise<DecodedPixels> {
  let image: sharp.Sharp;
  if (source.bmp !== undefined) {
    if (source.bmp.runLength) throw runLengthBmp(source);
    const decoded = decodeBmp(source.bytes, source.bmp);
    if (decoded === undefined) throw new InputError(DAMAGED_PICTURE, { logMessage: 'image: BMP pixels could not be decoded' });
    image = sharp(decoded.data, { raw: { width: decoded.width, height: decoded.height, channels: decoded.channels } });
  } else {
    // 'error' rather than the default 'warning' keeps camera JPEGs with harmless
    // libjpeg warnings, while a truncated file still fails (as in checkImage).
    image = sharp(source.bytes, { limitInputPixels: steps.maxPixels, failOn: 'error', page: 0, pages: 1 });
  }
  if (steps.turn) image = image.autoOrient();
  // JPEG shrinks while decoding (shrink-on-load), so a 6000×4000 photo is never whole in memory.
  if (steps.scale) image = image.resize(target.width, target.height, { fit: 'fill' });
  try {
    const { data, info } = await image.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels };
  } catch (error) {
    throw new InputError(DAMAGED_PICTURE, { cause: error, logMessage: `image: ${source.name} pixels could not be decoded` });
  }
}

/** Run-length-encoded BMPs are rare and cannot have alpha; one out of range or too large ends here. */
function runLengthBmp(source: SourcePicture): InputError {
  const { width, height } = source.display;
  return new InputError(localized('media.bmpRunLength'), { logMessage: `image: run-length-encoded BMP ${width}×${height}, ${source.bytes.length} bytes, needs fixing` },
  );
}

/**
 * Every alpha channel is flattened, since fal wants none; what the member is
 * told depends on whether any pixel was see-through. The alpha is always the
 * last channel of sharp's raw output.
 */
function transparencyOf(pixels: DecodedPixels, source: SourcePicture): PictureChange | undefined {
  for (let at = pixels.channels - 1; at < pixels.data.length; at += pixels.channels) {
    if (pixels.data[at] !== 255) return { kind: 'transparencyWhitened' };
  }
  return source.alphaAlwaysDecoded ? undefined : { kind: 'unusedTransparencyRemoved' };
}

/** The first encoding in `encodings` whose file fits, or a refusal quoting the smallest tried. */
async function encodeWithin(
  pixels: DecodedPixels,
  encodings: readonly Encoding[],
  limits: PictureLimits,
): Promise<{ encoding: Encoding; bytes: Buffer }> {
  let smallestBytes = Number.POSITIVE_INFINITY;
  for (const encoding of encodings) {
    const bytes = await encode(pixels, encoding);
    if (bytes.length <= limits.maxBytes) return { encoding, bytes };
    smallestBytes = Math.min(smallestBytes, bytes.length);
  }
  throw new InputError(localized('media.compressedTooLarge', { size: formatMegabytes(smallestBytes), limit: formatMegabytes(limits.maxBytes) }), {
    logMessage: `image: ${smallestBytes} bytes after re-encoding`,
  });
}

function encode(pixels: DecodedPixels, encoding: Encoding): Promise<Buffer> {
  const { width, height, channels } = pixels;
  let image = sharp(pixels.data, { raw: { width, height, channels: channels as 1 | 2 | 3 | 4 } });
  if (channels === 2 || channels === 4) image = image.flatten({ background: WHITE });
  // Adaptive filtering: a 2000×2000 photo-like PNG went from 7.8 to 4.5 MB, and from 0.2 to 0.6 s, when measured.
  return encoding === 'png'
    ? image.png({ adaptiveFiltering: true }).toBuffer()
    : image.jpeg({ quality: JPEG_QUALITY }).toBuffer();
}

/** What we made must be what checkImage accepts; if not, that is our bug, not the member's file. */
async function checkOutput(bytes: Buffer, limits: ImageLimits): Promise<CheckedImage> {
  try {
    return await checkImage(bytes, limits);
  } catch (error) {
    const why = error instanceof UserFacingError ? error.memberMessage : String(error);
    throw new Error(`fitPicture made a picture checkImage refuses: ${why}`, { cause: error });
  }
}

function withoutAlphaFlag({ hasAlpha: _hasAlpha, ...picture }: CheckedImage): Omit<CheckedImage, 'hasAlpha'> {
  return picture;
}
