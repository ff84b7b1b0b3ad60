import sharp from 'sharp';
import { InputError } from '../errors.js';
import { localized } from '../i18n/text.js';

/** What a member reads for any picture whose bytes cannot be read. */
export const DAMAGED_PICTURE = localized('media.imageDamaged');

/** What a picture's header says, learnt before deciding whether decoding it is safe. */
export interface PictureHeader {
  storedWidth: number;
  storedHeight: number;
  /** EXIF orientation 1–8; 5–8 turn the picture a quarter, swapping its sides. */
  orientation: number;
  hasAlpha: boolean;
  frames: number;
  /** The codec inside a HEIF file ('av1' for AVIF, 'hevc' for HEIC); undefined for other formats. */
  compression: string | undefined;
}

/** libvips' names for the formats we read with sharp. */
export type SharpFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'heif';

/**
 * The header only: sharp's pixel limit is off because it would hide the real
 * size of an oversized photo behind a generic error, and reading a header
 * allocates no pixels. Throws an InputError when libvips cannot read it or
 * reads it as another format than the one sniffed (a mangled file).
 */
export async function readSharpHeader(bytes: Buffer, format: SharpFormat): Promise<PictureHeader> {
  let metadata: sharp.Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new InputError(DAMAGED_PICTURE, { cause: error, logMessage: `image: sharp could not read the ${format} header` });
  }
  const { width, height } = metadata;
  if (metadata.format !== format || width === undefined || height === undefined || width < 1 || height < 1) {
    throw new InputError(DAMAGED_PICTURE, { logMessage: `image: sniffed ${format}, sharp says ${metadata.format}` });
  }
  return {
    storedWidth: width,
    storedHeight: height,
    orientation: metadata.orientation ?? 1,
    hasAlpha: metadata.hasAlpha,
    frames: metadata.pages ?? 1,
    compression: metadata.compression,
  };
}

/** Width and height as displayed, i.e. after the EXIF orientation is applied. */
export function displaySize(header: Pick<PictureHeader, 'storedWidth' | 'storedHeight' | 'orientation'>): {
  width: number;
  height: number;
} {
  const quarterTurn = header.orientation >= 5 && header.orientation <= 8;
  return quarterTurn
    ? { width: header.storedHeight, height: header.storedWidth }
    : { width: header.storedWidth, height: header.storedHeight };
}
