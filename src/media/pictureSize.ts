import { InputError } from '../errors.js';
import { IMAGE_MAX_SIDE_PX, IMAGE_MIN_SIDE_PX } from './limits.js';

export interface PictureSize {
  width: number;
  height: number;
}

/**
 * The size fal accepts that is closest to `size` with the same shape: the
 * longer side brought down to IMAGE_MAX_SIDE_PX, or the shorter one up to
 * IMAGE_MIN_SIDE_PX; `size` itself when it is already in range. A picture
 * longer and thinner than 2000:360 has no such size, and cropping is the
 * member's choice to make, so it is refused saying what it would come to.
 */
export function fittedSize(size: PictureSize): PictureSize {
  const landscape = size.width >= size.height;
  const long = landscape ? size.width : size.height;
  const short = landscape ? size.height : size.width;
  let fittedLong = long;
  let fittedShort = short;
  if (long > IMAGE_MAX_SIDE_PX) {
    fittedLong = IMAGE_MAX_SIDE_PX;
    fittedShort = Math.round((short * IMAGE_MAX_SIDE_PX) / long);
  } else if (short < IMAGE_MIN_SIDE_PX) {
    fittedShort = IMAGE_MIN_SIDE_PX;
    fittedLong = Math.round((long * IMAGE_MIN_SIDE_PX) / short);
  }
  if (fittedShort < IMAGE_MIN_SIDE_PX || fittedLong > IMAGE_MAX_SIDE_PX) {
    throw tooThin(size, landscape, long, short);
  }
  return landscape ? { width: fittedLong, height: fittedShort } : { width: fittedShort, height: fittedLong };
}

function tooThin(size: PictureSize, landscape: boolean, long: number, short: number): InputError {
  // Rounded down, and never "0 px": the point is how far below the minimum it lands.
  const shortAtMax = Math.max(1, Math.floor((short * IMAGE_MAX_SIDE_PX) / long));
  const [longName, shortName] = landscape ? ['wide', 'tall'] : ['tall', 'wide'];
  return new InputError(
    `The image is ${size.width}×${size.height} px, too long and thin for the model: at ${IMAGE_MAX_SIDE_PX} px ${longName} ` +
      `it would be only ${shortAtMax} px ${shortName}, and each side must be between ${IMAGE_MIN_SIDE_PX} and ${IMAGE_MAX_SIDE_PX} px. ` +
      'Please crop it.',
    { logMessage: `image: ${size.width}×${size.height} cannot be scaled into range` },
  );
}
