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

  return { width, height, bitsPerPixel, hasAlpha, requiredBytes, fileBytes };
}
