/**
 * sharp (libvips) cannot read BMP, and the model accepts it, so we read the
 * header ourselves. Nothing here decodes pixels: a malformed or lying header is
 * refused, and the pixel array must be as long as the header says.
 * Layout: https://learn.microsoft.com/en-us/windows/win32/gdi/bitmap-storage
 */

export interface BmpHeader {
  width: number;
  /** Always positive; a negative stored height only means the rows run top-down. */
  height: number;
  bitsPerPixel: number;
  /** True only when the header declares an alpha mask (32/16-bit bit-fields). */
  hasAlpha: boolean;
  /**
   * Bytes the file must have for the pixels the header promises, or undefined
   * for run-length-encoded files whose length can only be known by decoding.
   */
  requiredBytes: number | undefined;
  /**
   * Where everything the header points at ends (pixels, and a V5 header's
   * colour profile), i.e. where a well-formed file ends; undefined for
   * run-length-encoded files.
   */
  fileBytes: number | undefined;
  /** Where the pixel rows start. */
  pixelOffset: number;
  /** Rows stored top row first (a negative stored height) rather than bottom row first. */
  topDown: boolean;
  /** Run-length-encoded pixels (RLE4/RLE8), which bmpPixels does not decode. */
  runLength: boolean;
  /** For 16- and 32-bit pixels: where each channel sits in the pixel (alpha 0 when there is none). */
  masks: BmpMasks | undefined;
  /** For 1-, 4- and 8-bit pixels: the colour table. */
  palette: BmpPalette | undefined;
}

export interface BmpMasks {
  red: number;
  green: number;
  blue: number;
  alpha: number;
}

export interface BmpPalette {
  offset: number;
  /** 4 (blue, green, red, unused) in BITMAPINFOHEADER files, 3 in OS/2 core-header files. */
  entryBytes: 3 | 4;
  entries: number;
}

const FILE_HEADER_BYTES = 14;
const CORE_HEADER_BYTES = 12; // OS/2 BITMAPCOREHEADER: 16-bit sizes, no compression
// BITMAPINFOHEADER and its extensions (V2, V3, V4, V5). The 64-byte OS/2 2.x
// header shares the size range but not the meaning of its fields, so it is out.
const INFO_HEADER_SIZES = new Set([40, 52, 56, 108, 124]);

const BI_RGB = 0;
const BI_RLE8 = 1;
const BI_RLE4 = 2;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;
// Where the alpha mask sits: after the three colour masks, both in V3+ headers
// and right after a 40-byte header with BI_ALPHABITFIELDS.
const ALPHA_MASK_OFFSET = 66;
const RED_MASK_OFFSET = 54;
const GREEN_MASK_OFFSET = 58;
const BLUE_MASK_OFFSET = 62;
const COLOURS_USED_OFFSET = 46;
// Without bit-fields, 16-bit pixels are 5-5-5 and the fourth byte of a 32-bit pixel is unused.
const DEFAULT_MASKS: Readonly<Record<number, BmpMasks>> = {
  16: { red: 0x7c00, green: 0x03e0, blue: 0x001f, alpha: 0 },
  32: { red: 0x00ff0000, green: 0x0000ff00, blue: 0x000000ff, alpha: 0 },
};
// BITMAPV5HEADER: bV5CSType, bV5ProfileData (from the start of the DIB header) and bV5ProfileSize.
const V5_HEADER_BYTES = 124;
const V5_CS_TYPE_OFFSET = FILE_HEADER_BYTES + 56;
const V5_PROFILE_DATA_OFFSET = FILE_HEADER_BYTES + 112;
const V5_PROFILE_SIZE_OFFSET = FILE_HEADER_BYTES + 116;
const PROFILE_EMBEDDED = 0x4d424544; // 'MBED'
const PROFILE_LINKED = 0x4c494e4b; // 'LINK'

/** The header's promises, or undefined when it is not a BMP we can stand behind. */
export function parseBmpHeader(bytes: Buffer): BmpHeader | undefined {
  if (bytes.length < FILE_HEADER_BYTES + 4 || bytes.toString('latin1', 0, 2) !== 'BM') return undefined;
  const pixelOffset = bytes.readUInt32LE(10);
  const dibHeaderBytes = bytes.readUInt32LE(14);
  if (bytes.length < FILE_HEADER_BYTES + dibHeaderBytes) return undefined;

  let width: number;
  let storedHeight: number;
  let planes: number;
  let bitsPerPixel: number;
  let compression = BI_RGB;
  if (dibHeaderBytes === CORE_HEADER_BYTES) {
    width = bytes.readUInt16LE(18);
    storedHeight = bytes.readUInt16LE(20);
    planes = bytes.readUInt16LE(22);
    bitsPerPixel = bytes.readUInt16LE(24);
    if (![1, 4, 8, 24].includes(bitsPerPixel)) return undefined;
  } else if (INFO_HEADER_SIZES.has(dibHeaderBytes)) {
    width = bytes.readInt32LE(18);
    storedHeight = bytes.readInt32LE(22);
    planes = bytes.readUInt16LE(26);
    bitsPerPixel = bytes.readUInt16LE(28);
    compression = bytes.readUInt32LE(30);
    if (![1, 4, 8, 16, 24, 32].includes(bitsPerPixel)) return undefined;
  } else {
    return undefined;
  }

  if (planes !== 1 || width <= 0 || storedHeight === 0) return undefined;
  const topDown = storedHeight < 0;
  const height = Math.abs(storedHeight);
  if (pixelOffset < FILE_HEADER_BYTES + dibHeaderBytes || pixelOffset >= bytes.length) return undefined;

  const bitFields = compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS;
  const runLength =
    (compression === BI_RLE8 && bitsPerPixel === 8) || (compression === BI_RLE4 && bitsPerPixel === 4);
  // Embedded JPEG/PNG (4, 5) are meant for printers; few readers accept them.
  if (!(compression === BI_RGB || runLength || (bitFields && (bitsPerPixel === 16 || bitsPerPixel === 32)))) {
    return undefined;
  }
  // The format only allows top-down rows for uncompressed pixels.
  if (topDown && runLength) return undefined;

  const hasAlpha =
    bitFields &&
    (dibHeaderBytes >= 56 || compression === BI_ALPHABITFIELDS) &&
    bytes.length >= ALPHA_MASK_OFFSET + 4 &&
    bytes.readUInt32LE(ALPHA_MASK_OFFSET) !== 0;

  // Rows are padded to whole 32-bit words.
  const rowBytes = Math.ceil((width * bitsPerPixel) / 32) * 4;
  const requiredBytes = runLength ? undefined : pixelOffset + rowBytes * height;

  let fileBytes = requiredBytes;
  if (fileBytes !== undefined && dibHeaderBytes === V5_HEADER_BYTES) {
    const colourSpace = bytes.readUInt32LE(V5_CS_TYPE_OFFSET);
    if (colourSpace === PROFILE_EMBEDDED || colourSpace === PROFILE_LINKED) {
      const profileEnd =
        FILE_HEADER_BYTES + bytes.readUInt32LE(V5_PROFILE_DATA_OFFSET) + bytes.readUInt32LE(V5_PROFILE_SIZE_OFFSET);
      fileBytes = Math.max(fileBytes, profileEnd);
    }
  }

  let masks: BmpMasks | undefined;
  if (bitFields) {
    // A file too short for its masks is left for the decoder to refuse: checkImage never needs them.
    masks =
      bytes.length >= BLUE_MASK_OFFSET + 4
        ? {
            red: bytes.readUInt32LE(RED_MASK_OFFSET),
            green: bytes.readUInt32LE(GREEN_MASK_OFFSET),
            blue: bytes.readUInt32LE(BLUE_MASK_OFFSET),
            alpha: hasAlpha ? bytes.readUInt32LE(ALPHA_MASK_OFFSET) : 0,
          }
        : undefined;
  } else {
    masks = DEFAULT_MASKS[bitsPerPixel];
  }

  let palette: BmpPalette | undefined;
  if (bitsPerPixel <= 8) {
    const core = dibHeaderBytes === CORE_HEADER_BYTES;
    const entryBytes = core ? 3 : 4;
    const offset = FILE_HEADER_BYTES + dibHeaderBytes;
    const declared = core ? 0 : bytes.readUInt32LE(COLOURS_USED_OFFSET);
    // Zero means "all 2^bits colours"; the table cannot run into the pixels, whatever it claims.
    const entries = Math.min(declared || 2 ** bitsPerPixel, 2 ** bitsPerPixel, Math.floor((pixelOffset - offset) / entryBytes));
    palette = { offset, entryBytes, entries: Math.max(0, entries) };
  }

  return {
    width,
    height,
    bitsPerPixel,
    hasAlpha,
    requiredBytes,
    fileBytes,
    pixelOffset,
    topDown,
    runLength,
    masks,
    palette,
  };
}
