/**
 * The picture formats the model accepts. A module of its own because both the
 * checks (image.ts) and the end-of-picture walker (pictureEnd.ts) name it, and
 * pictureEnd.ts must not import image.ts, which imports it.
 */
export type ImageFormat = 'jpeg' | 'png' | 'bmp' | 'webp';
