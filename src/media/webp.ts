/**
 * Whether a WEBP's first image is stored lossless (a VP8L bitstream) rather
 * than lossy (VP8), so a re-encode can keep the member's choice: PNG for the
 * one, JPEG for the other. Chunks: https://developers.google.com/speed/webp/docs/riff_container
 */
export function isLosslessWebp(bytes: Buffer): boolean {
  return firstBitstream(bytes, RIFF_HEADER_BYTES, bytes.length) === 'VP8L';
}

const RIFF_HEADER_BYTES = 12; // 'RIFF', size, 'WEBP'
const CHUNK_HEADER_BYTES = 8; // FourCC, size
const ANMF_FRAME_HEADER_BYTES = 16; // position, size, duration, flags; then the frame's own chunks

function firstBitstream(bytes: Buffer, start: number, end: number): 'VP8 ' | 'VP8L' | undefined {
  let offset = start;
  while (offset + CHUNK_HEADER_BYTES <= end) {
    const fourCc = bytes.toString('latin1', offset, offset + 4);
    const dataBytes = bytes.readUInt32LE(offset + 4);
    const dataStart = offset + CHUNK_HEADER_BYTES;
    if (fourCc === 'VP8 ' || fourCc === 'VP8L') return fourCc;
    if (fourCc === 'ANMF') {
      return firstBitstream(bytes, dataStart + ANMF_FRAME_HEADER_BYTES, Math.min(end, dataStart + dataBytes));
    }
    // Chunks are padded to an even length.
    offset = dataStart + dataBytes + (dataBytes % 2);
  }
  return undefined;
}
