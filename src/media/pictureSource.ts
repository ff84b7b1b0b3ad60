import sharp from 'sharp';
import { InputError } from '../errors.js';
import { parseBmpHeader, type BmpHeader } from './bmp.js';
import { formatMegabytes } from './format.js';
import type { ImageFormat } from './imageFormat.js';
import { BMP_MAX_DECODE_PIXELS } from './limits.js';
import type { PictureFormatName } from './pictureChanges.js';
import { pictureLength } from './pictureEnd.js';
import { DAMAGED_PICTURE, displaySize, readSharpHeader, type PictureHeader, type SharpFormat } from './pictureHeader.js';
import type { PictureSize } from './pictureSize.js';
import { looksLike, sniff, type Sniffed } from './sniff.js';
import { isLosslessWebp } from './webp.js';
import { localized, orList } from '../i18n/text.js';

/**
 * What a member sent, read from its header only: the kind of picture, its size
 * as displayed, and nothing decoded yet. Everything that can be refused
 * without decoding is refused here.
 */
export interface SourcePicture {
  name: PictureFormatName;
  /** The format fal takes it as, when it is one fal takes. */
  accepted: ImageFormat | undefined;
  /** The picture itself: bytes after its end marker (a polyglot's payload) are dropped. */
  bytes: Buffer;
  header: PictureHeader;
  /** Width and height as displayed, i.e. after the EXIF orientation. */
  display: PictureSize;
  /** More than one frame (or page); only the first is kept. */
  animated: boolean;
  /** Stored with a lossy codec: re-encoded as JPEG, where lossless sources become PNG. */
  lossy: boolean;
  /** GIFs always decode with an alpha channel, so an opaque one has no "unused channel" to speak of. */
  alphaAlwaysDecoded: boolean;
  /** Set for BMP, whose pixels our own code decodes. */
  bmp: BmpHeader | undefined;
}

export interface SourceLimits {
  maxInputBytes: number;
  maxInputPixels: number;
}

interface SourceKind {
  name: PictureFormatName;
  /** libvips' name for the format; undefined for BMP, which sharp cannot read. */
  sharpFormat: SharpFormat | undefined;
  accepted: ImageFormat | undefined;
  /** An APNG: sharp reads its still default image and never reports its frames. */
  animated?: true;
  lossy: (bytes: Buffer) => boolean;
}

const LOSSY = () => true;
const LOSSLESS = () => false;

/** By sniffed extension. Those with no `accepted` format are formats fal refuses: they are converted. */
const KINDS: Readonly<Record<string, SourceKind>> = {
  jpg: { name: 'JPEG', sharpFormat: 'jpeg', accepted: 'jpeg', lossy: LOSSY },
  png: { name: 'PNG', sharpFormat: 'png', accepted: 'png', lossy: LOSSLESS },
  apng: { name: 'PNG', sharpFormat: 'png', accepted: 'png', animated: true, lossy: LOSSLESS },
  webp: { name: 'WEBP', sharpFormat: 'webp', accepted: 'webp', lossy: (bytes) => !isLosslessWebp(bytes) },
  bmp: { name: 'BMP', sharpFormat: undefined, accepted: 'bmp', lossy: LOSSLESS },
  gif: { name: 'GIF', sharpFormat: 'gif', accepted: undefined, lossy: LOSSLESS },
  tif: { name: 'TIFF', sharpFormat: 'tiff', accepted: undefined, lossy: LOSSLESS },
  avif: { name: 'AVIF', sharpFormat: 'heif', accepted: undefined, lossy: LOSSY },
  heic: { name: 'HEIC', sharpFormat: 'heif', accepted: undefined, lossy: LOSSY },
};

/** Only what this build of sharp reads from a buffer (GIF, TIFF and HEIF are optional in libvips). */
const readable = (kind: SourceKind) => kind.sharpFormat === undefined || sharp.format[kind.sharpFormat].input.buffer;
// sharp's prebuilt libheif decodes AV1 (AVIF) only: HEVC (most HEIC photos) is patent-encumbered.
const READABLE_HEIF_CODECS = new Set(['av1']);

const READABLE_NAMES = [...new Set(Object.values(KINDS).filter(readable).map((kind) => kind.name))].filter(
  (name) => name !== 'HEIC',
);
const notAPicture = (sniffed: Sniffed | undefined) => localized('media.notAPictureReadable', { formats: orList(READABLE_NAMES), hint: looksLike(sniffed) });

export async function readSource(bytes: Buffer, limits: SourceLimits): Promise<SourcePicture> {
  if (bytes.length === 0) throw new InputError(DAMAGED_PICTURE, { logMessage: 'image: zero bytes' });
  if (bytes.length > limits.maxInputBytes) {
    throw new InputError(localized('media.imageTooLarge', { size: formatMegabytes(bytes.length), limit: formatMegabytes(limits.maxInputBytes) }), {
      logMessage: `image: ${bytes.length} bytes`,
    });
  }

  const sniffed = await sniff(bytes);
  const kind = sniffed === undefined ? undefined : KINDS[sniffed.ext];
  // SVG ends here too: it is never handed to a renderer.
  if (kind === undefined || !readable(kind)) {
    throw new InputError(notAPicture(sniffed), {
      logMessage: `image: sniffed as ${sniffed?.mime ?? 'unknown'}`,
    });
  }

  // Whatever follows the picture's end is never decoded nor sent on.
  const end = kind.accepted === undefined ? undefined : pictureLength(bytes, kind.accepted);
  const picture = end !== undefined && end < bytes.length ? bytes.subarray(0, end) : bytes;

  let header: PictureHeader;
  let bmp: BmpHeader | undefined;
  if (kind.sharpFormat === undefined) {
    bmp = parseBmpHeader(picture);
    if (bmp === undefined) throw new InputError(DAMAGED_PICTURE, { logMessage: 'image: malformed BMP header' });
    header = { storedWidth: bmp.width, storedHeight: bmp.height, orientation: 1, hasAlpha: bmp.hasAlpha, frames: 1, compression: undefined };
  } else {
    header = await readSharpHeader(picture, kind.sharpFormat);
  }
  if (kind.sharpFormat === 'heif' && !READABLE_HEIF_CODECS.has(header.compression ?? '')) {
    throw new InputError(notAPicture(sniffed), {
      logMessage: `image: HEIF with ${header.compression ?? 'unknown'} compression`,
    });
  }

  const display = displaySize(header);
  // Decoding is bounded by the header's promise, checked before a single pixel is read.
  const maxPixels = bmp === undefined ? limits.maxInputPixels : Math.min(limits.maxInputPixels, BMP_MAX_DECODE_PIXELS);
  if (header.storedWidth * header.storedHeight > maxPixels) {
    throw new InputError(
      localized('media.imageMegapixels', {
        width: display.width,
        height: display.height,
        megapixels: megapixels(header.storedWidth * header.storedHeight, 'up'),
        limit: megapixels(maxPixels, 'down'),
      }),
      { logMessage: `image: ${header.storedWidth}×${header.storedHeight} px declared` },
    );
  }

  // Uncompressed pixels must all be there (after the size: a bomb is told its size, as checkImage does).
  if (bmp?.requiredBytes !== undefined && picture.length < bmp.requiredBytes) {
    throw new InputError(DAMAGED_PICTURE, { logMessage: `image: BMP has ${picture.length} of ${bmp.requiredBytes} bytes` });
  }

  return {
    name: kind.name,
    accepted: kind.accepted,
    bytes: picture,
    header,
    display,
    animated: kind.animated === true || header.frames > 1,
    lossy: kind.lossy(picture),
    alphaAlwaysDecoded: kind.name === 'GIF',
    bmp,
  };
}

/** Whole megapixels, rounded away from the limit so a refused picture never looks allowed. */
function megapixels(pixels: number, rounding: 'up' | 'down'): string {
  const value = rounding === 'up' ? Math.ceil(pixels / 1_000_000) : Math.floor(pixels / 1_000_000);
  return value.toLocaleString('en-US');
}
