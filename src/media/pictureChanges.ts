import { formatMegabytes } from './format.js';
import type { PictureSize } from './pictureSize.js';

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

export function describeChange(change: PictureChange): string {
  switch (change.kind) {
    case 'firstFrame':
      return 'kept only the first frame';
    case 'turnedUpright':
      return "applied the camera's rotation";
    case 'transparencyWhitened':
      return 'made transparent parts white';
    case 'unusedTransparencyRemoved':
      return 'removed an unused transparency channel';
    case 'scaled':
      return `scaled ${size(change.from)} → ${size(change.to)}`;
    case 'converted':
      return `converted ${change.from} to ${change.to}`;
    case 'compressed':
      return `compressed ${formatMegabytes(change.fromBytes)} → ${formatMegabytes(change.toBytes)}`;
  }
}

/**
 * One short line for the member, e.g. "made transparent parts white · scaled
 * 3000×1800 → 2000×1200"; empty when nothing changed. Lower case, so it reads
 * after a lead-in of the caller's choosing ("I adjusted your picture: …").
 */
export function describeChanges(changes: readonly PictureChange[]): string {
  return changes.map(describeChange).join(' · ');
}
