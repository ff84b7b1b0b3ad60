import sharp from 'sharp';

/** What a test needs to know about a rendered chart. */
export async function pngFacts(png: Buffer) {
  const metadata = await sharp(png).metadata();
  return { format: metadata.format, width: metadata.width, height: metadata.height, sizeBytes: png.length };
}

/** Pixels darker than mid-grey inside a box: text or bars drawn there. */
export async function darkPixels(png: Buffer, box: { left: number; top: number; width: number; height: number }): Promise<number> {
  const { data, info } = await sharp(png).extract(box).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let dark = 0;
  for (let offset = 0; offset < data.length; offset += info.channels) {
    const brightness = ((data[offset] ?? 0) + (data[offset + 1] ?? 0) + (data[offset + 2] ?? 0)) / 3;
    if (brightness < 160) dark += 1;
  }
  return dark;
}
