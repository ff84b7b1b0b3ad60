// The pictures the picture-fix benchmark feeds to checkImage and fitPicture:
// each fix on a 2000×2000 picture (only that fix) and on a 6000×4000 one (that
// fix plus scaling down), from the same photo-like pixels as the image-check
// benchmark. Generated, not committed, and the same in every run.
import sharp from 'sharp';
import { pixelBombPng } from '../test/support/mediaFiles.js';
import { HEADER_BOMB_SIDE_PX, JPEG_NOISE_BITS, PNG_NOISE_BITS, photoLikePixels, zlibBombPng, type ImageInput } from './imageInputs.js';

const SIZES = [
  [2000, 2000],
  [6000, 4000],
] as const;

/** A cut-out: the photo inside a centred ellipse, fully transparent (and black) around it. */
function cutOut(rgb: Buffer, width: number, height: number): sharp.Sharp {
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const inside = ((x - width / 2) / (width * 0.35)) ** 2 + ((y - height / 2) / (height * 0.4)) ** 2 <= 1;
      if (!inside) continue;
      const pixel = y * width + x;
      rgba.set(rgb.subarray(pixel * 3, pixel * 3 + 3), pixel * 4);
      rgba[pixel * 4 + 3] = 255;
    }
  }
  return sharp(rgba, { raw: { width, height, channels: 4 } });
}

/** The side of a zlib bomb PNG whose pixels sit at fitPicture's limit (PICTURE_MAX_INPUT_PIXELS). */
export const CAPPED_BOMB_SIDE_PX = 8192;

export async function pictureFixInputs(): Promise<ImageInput[]> {
  const inputs: ImageInput[] = [];
  for (const [width, height] of SIZES) {
    const size = `${width}×${height}`;
    const photo = () => sharp(photoLikePixels(width, height, JPEG_NOISE_BITS), { raw: { width, height, channels: 3 } });
    const graphic = photoLikePixels(width, height, PNG_NOISE_BITS);
    inputs.push(
      { name: `JPEG ${size}`, bytes: await photo().jpeg({ quality: 85 }).toBuffer() },
      { name: `JPEG ${size}, EXIF-rotated`, bytes: await photo().jpeg({ quality: 85 }).withMetadata({ orientation: 6 }).toBuffer() },
      { name: `PNG ${size}, transparent`, bytes: await cutOut(graphic, width, height).png().toBuffer() },
      { name: `GIF ${size}`, bytes: await sharp(graphic, { raw: { width, height, channels: 3 } }).gif().toBuffer() },
    );
    if (width === 2000) {
      // 12 MB: over fal's 10 MB, fine once compressed. A 6000×4000 one would be 72 MB, over the 25 MB input cap.
      const uncompressed = await sharp(graphic, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
      inputs.push({ name: `PNG ${size}, uncompressed`, bytes: uncompressed });
    }
  }
  inputs.push(
    { name: `bomb PNG zlib ${CAPPED_BOMB_SIDE_PX}²`, bytes: zlibBombPng(CAPPED_BOMB_SIDE_PX) },
    { name: `bomb PNG header ${HEADER_BOMB_SIDE_PX / 1000}k²`, bytes: pixelBombPng(HEADER_BOMB_SIDE_PX, HEADER_BOMB_SIDE_PX) },
  );
  return inputs;
}
