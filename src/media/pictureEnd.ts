import { parseBmpHeader } from './bmp.js';
import type { ImageFormat } from './imageFormat.js';

/**
 * Where the picture itself ends, so that whatever follows it is never sent on:
 * a polyglot's payload (a ZIP after a PNG's IEND, HTML after a JPEG's EOI) or
 * a phone's motion-photo video. Decoders stop at the end marker and ignore the
 * rest, so dropping it changes nothing the model sees.
 *
 * Returns the picture's length in bytes, or undefined when the structure cannot
 * be walked to its end (the decoder then judges the whole file as it is).
 */
export function pictureLength(bytes: Buffer, format: ImageFormat): number | undefined {
  switch (format) {
    case 'png':
      return pngLength(bytes);
    case 'jpeg':
      return jpegLength(bytes);
    case 'webp':
      return webpLength(bytes);
    case 'bmp':
      return bmpLength(bytes);
  }
}

function bmpLength(bytes: Buffer): number | undefined {
  const end = parseBmpHeader(bytes)?.fileBytes;
  return end !== undefined && end <= bytes.length ? end : undefined;
}

const PNG_SIGNATURE_BYTES = 8;
const PNG_CHUNK_OVERHEAD = 12; // length + type + CRC

/** Chunk by chunk to the end of IEND (https://www.w3.org/TR/png-3/#5Chunk-layout). */
function pngLength(bytes: Buffer): number | undefined {
  let offset = PNG_SIGNATURE_BYTES;
  while (offset + PNG_CHUNK_OVERHEAD <= bytes.length) {
    const dataBytes = bytes.readUInt32BE(offset);
    const end = offset + PNG_CHUNK_OVERHEAD + dataBytes;
    if (end > bytes.length) return undefined;
    if (bytes.toString('latin1', offset + 4, offset + 8) === 'IEND') return end;
    offset = end;
  }
  return undefined;
}

/** The RIFF header says how long the file is (https://developers.google.com/speed/webp/docs/riff_container). */
function webpLength(bytes: Buffer): number | undefined {
  if (bytes.length < 12 || bytes.toString('latin1', 0, 4) !== 'RIFF') return undefined;
  const riffBytes = bytes.readUInt32LE(4);
  // RIFF chunks are padded to an even length.
  const end = 8 + riffBytes + (riffBytes % 2);
  return end <= bytes.length ? end : undefined;
}

const MARKER = 0xff;
const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const TEM = 0x01;
const isRestart = (marker: number) => marker >= 0xd0 && marker <= 0xd7;

/**
 * Segment by segment, through every scan's entropy-coded data, to the first EOI
 * (ITU T.81 B.1). Inside a scan 0xFF00 is a stuffed byte and 0xFFD0..D7 are
 * restart markers; any other marker ends the scan.
 */
function jpegLength(bytes: Buffer): number | undefined {
  if (bytes[0] !== MARKER || bytes[1] !== SOI) return undefined;
  let offset = 2;
  for (;;) {
    if (bytes[offset] !== MARKER) return undefined;
    while (bytes[offset] === MARKER) offset += 1; // fill bytes
    const marker = bytes[offset];
    offset += 1;
    if (marker === undefined) return undefined;
    if (marker === EOI) return offset;
    if (marker === SOI) return undefined;
    if (isRestart(marker) || marker === TEM) continue;
    if (offset + 2 > bytes.length) return undefined;
    const segmentBytes = bytes.readUInt16BE(offset);
    if (segmentBytes < 2) return undefined;
    offset += segmentBytes;
    if (marker !== SOS) continue;
    // Entropy-coded data: skip to the next 0xFF that starts a real marker.
    for (;;) {
      offset = bytes.indexOf(MARKER, offset);
      if (offset === -1) return undefined;
      const next = bytes[offset + 1];
      if (next === undefined) return undefined;
      if (next === 0x00 || isRestart(next)) offset += 2;
      else if (next === MARKER) offset += 1;
      else break;
    }
  }
}
