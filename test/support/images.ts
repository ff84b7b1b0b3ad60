import sharp from 'sharp';

/** A plain opaque picture with a little structure, encoded as asked. */
export async function makeImage(
  width: number,
  height: number,
  format: 'png' | 'jpeg' | 'webp' | 'gif' = 'png',
  options: { alpha?: boolean } = {},
): Promise<Buffer> {
  const channels = options.alpha ? 4 : 3;
  const image = sharp({
    create: {
      width,
      height,
      channels,
      background: options.alpha ? { r: 40, g: 120, b: 200, alpha: 0.5 } : { r: 40, g: 120, b: 200 },
    },
  });
  return image.toFormat(format).toBuffer();
}
