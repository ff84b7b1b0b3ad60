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

/** Opaque blue on the right half, fully transparent on the left: flattening must whiten exactly that half. */
export function halfTransparentPng(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const at = (y * width + x) * 4;
      pixels.set(x < width / 2 ? [0, 0, 0, 0] : [40, 120, 200, 255], at);
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 4 } }).png().toBuffer();
}

/** One solid frame per colour, in order: a still of it must show the first colour. */
export async function animated(
  format: 'gif' | 'webp',
  width: number,
  height: number,
  colours: readonly string[] = ['#ff0000', '#00ff00', '#0000ff'],
): Promise<Buffer> {
  const frames = await Promise.all(
    colours.map((colour) => sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer()),
  );
  return sharp(frames, { join: { animated: true } }).toFormat(format).toBuffer();
}

/** Smooth diagonal bands: compresses well, so an uncompressed PNG of it shrinks a lot once compressed. */
export function gradient(width: number, height: number): sharp.Sharp {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const at = (y * width + x) * 3;
      pixels[at] = (x + y) % 256;
      pixels[at + 1] = (x >> 3) % 256;
      pixels[at + 2] = (y >> 3) % 256;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

/** The colour of one pixel, as [r, g, b] (alpha dropped). */
export async function pixelAt(bytes: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [data[at]!, data[at + 1]!, data[at + 2]!];
}
