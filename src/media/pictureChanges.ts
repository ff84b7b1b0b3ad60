import { formatMegabytes } from './format.js';
import type { PictureSize } from './pictureSize.js';
import type { Messages } from '../i18n/en.js';
import { DEFAULT_LOCALE, type Locale } from '../i18n/locale.js';
import { messagesFor } from '../i18n/text.js';

/** Formats as members know them, by name. */
export type PictureFormatName = 'JPEG' | 'PNG' | 'WEBP' | 'BMP' | 'GIF' | 'TIFF' | 'AVIF' | 'HEIC';

/**
 * One thing fitPicture did to a member's picture so that the model takes it;
 * fitPicture lists them in this order (the picture first, then the file).
 */
export type PictureChange =
  | { kind: 'firstFrame' }
  | { kind: 'turnedUpright' }
  /** An alpha channel with some pixel not fully opaque, flattened onto white. */
  | { kind: 'transparencyWhitened' }
  /** An alpha channel whose every pixel was opaque: dropped, the picture looks the same. */
  | { kind: 'unusedTransparencyRemoved' }
  | { kind: 'scaled'; from: PictureSize; to: PictureSize }
  | { kind: 'converted'; from: PictureFormatName; to: 'JPEG' | 'PNG' }
  /** Re-encoded only because the file was too large. */
  | { kind: 'compressed'; fromBytes: number; toBytes: number };

const size = ({ width, height }: PictureSize) => `${width}×${height}`;

export function describeChange(change: PictureChange, t: Messages = messagesFor(DEFAULT_LOCALE)): string {
  switch (change.kind) {
    case 'firstFrame':
      return t['pictureChange.firstFrame'];
    case 'turnedUpright':
      return t['pictureChange.turnedUpright'];
    case 'transparencyWhitened':
      return t['pictureChange.transparencyWhitened'];
    case 'unusedTransparencyRemoved':
      return t['pictureChange.unusedTransparencyRemoved'];
    case 'scaled':
      return t['pictureChange.scaled']({ from: size(change.from), to: size(change.to) });
    case 'converted':
      return t['pictureChange.converted']({ from: change.from, to: change.to });
    case 'compressed':
      return t['pictureChange.compressed']({ from: formatMegabytes(change.fromBytes), to: formatMegabytes(change.toBytes) });
  }
}

/**
 * One short line for the member, e.g. "made transparent parts white · scaled
 * 3000×1800 → 2000×1200"; empty when nothing changed. Lower case, so it reads
 * after a lead-in of the caller's choosing ("I adjusted your picture: …"). Worded in the
 * member's language once, when the picture is fixed, and stored on the job.
 */
export function describeChanges(changes: readonly PictureChange[], locale: Locale = DEFAULT_LOCALE): string {
  const t = messagesFor(locale);
  return changes.map((change) => describeChange(change, t)).join(' · ');
}
