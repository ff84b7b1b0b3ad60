import { InputError } from '../errors.js';
import type { ImageLimits } from './limits.js';

export interface PictureSize {
  width: number;
  height: number;
}

/**
 * The size the model accepts that is closest to `size` with the same shape:
 * the longer side brought down to `maxSidePx`, or the shorter one up to
 * `minSidePx`; `size` itself when it is already in range. A picture longer and
 * thinner than maxSidePx:minSidePx (2000:360 for WAN 2.5) has no such size,
 * and cropping is the member's choice to make, so it is refused saying what it
 * would come to.
 */
export function fittedSize(size: PictureSize, limits: Pick<ImageLimits, 'minSidePx' | 'maxSidePx'>): PictureSize {
  const { minSidePx, maxSidePx } = limits;
  const landscape = size.width >= size.height;
  const long = landscape ? size.width : size.height;
  const short = landscape ? size.height : size.width;
  let fittedLong = long;
  let fittedShort = short;
  if (long > maxSidePx) {
    fittedLong = maxSidePx;
    fittedShort = Math.round((short * maxSidePx) / long);
  } else if (short < minSidePx) {
    fittedShort = minSidePx;
    fittedLong = Math.round((long * minSidePx) / short);
  }
  if (fittedShort < minSidePx || fittedLong > maxSidePx) {
    throw tooThin(size, limits, landscape, long, short);
  }
  return landscape ? { width: fittedLong, height: fittedShort } : { width: fittedShort, height: fittedLong };
}

function tooThin(
  size: PictureSize,
  { minSidePx, maxSidePx }: Pick<ImageLimits, 'minSidePx' | 'maxSidePx'>,
  landscape: boolean,
  long: number,
  short: number,
): InputError {
  // Rounded down, and never "0 px": the point is how far below the minimum it lands.
  const shortAtMax = Math.max(1, Math.floor((short * maxSidePx) / long));
  const [longName, shortName] = landscape ? ['wide', 'tall'] : ['tall', 'wide'];
  return new InputError(
    `The image is ${size.width}×${size.height} px, too long and thin for the model: at ${maxSidePx} px ${longName} ` +
      `it would be only ${shortAtMax} px ${shortName}, and each side must be between ${minSidePx} and ${maxSidePx} px. ` +
      'Please crop it.',
    { logMessage: `image: ${size.width}×${size.height} cannot be scaled into range` },
  );
}
