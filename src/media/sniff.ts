import { fileTypeFromBuffer } from 'file-type';
import { localized, type MemberText } from '../i18n/text.js';

/**
 * What the bytes are, whatever the file name or Discord's content_type claim:
 * both come from the member's device and are easy to get wrong or to fake.
 */
export interface Sniffed {
  /** file-type's extension ('jpg', 'png', 'apng', 'gif', 'mp3', …), or our own 'svg' / 'text'. */
  ext: string;
  mime: string;
}

const SNIFF_TEXT_BYTES = 512;
// An SVG may open with a long XML prolog or DOCTYPE before its <svg> element.
const SNIFF_XML_BYTES = 16 * 1024;
const SVG_ELEMENT = /<svg[\s>]/i;

// file-type gives up on a PNG whose chunks do not parse (and may throw on other
// mangled files); by its signature such a file is a damaged picture, and the
// member is better told that than "not a picture".
const SIGNATURES: readonly { magic: Buffer; offset: number; result: Sniffed }[] = [
  { magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), offset: 0, result: { ext: 'png', mime: 'image/png' } },
  { magic: Buffer.from([0xff, 0xd8, 0xff]), offset: 0, result: { ext: 'jpg', mime: 'image/jpeg' } },
  { magic: Buffer.from('WEBP', 'latin1'), offset: 8, result: { ext: 'webp', mime: 'image/webp' } },
];

async function detect(bytes: Buffer): Promise<Sniffed | undefined> {
  try {
    const detected = await fileTypeFromBuffer(bytes);
    if (detected !== undefined) return detected;
  } catch {
    // Fall through to the bare signatures below.
  }
  return SIGNATURES.find(({ magic, offset }) => bytes.subarray(offset, offset + magic.length).equals(magic))?.result;
}

export async function sniff(bytes: Buffer): Promise<Sniffed | undefined> {
  const detected = await detect(bytes);
  if (detected !== undefined && detected.ext !== 'xml') {
    return { ext: detected.ext, mime: detected.mime };
  }
  // file-type sees magic numbers only; SVG and plain text have none, yet they are
  // what members most often upload by mistake, so name them in the answer.
  const head = bytes.subarray(0, SNIFF_TEXT_BYTES).toString('utf8');
  const xmlHead = detected?.ext === 'xml' ? bytes.subarray(0, SNIFF_XML_BYTES).toString('utf8') : '';
  if (SVG_ELEMENT.test(head) || SVG_ELEMENT.test(xmlHead)) {
    return { ext: 'svg', mime: 'image/svg+xml' };
  }
  if (detected !== undefined) {
    return { ext: detected.ext, mime: detected.mime };
  }
  if (head.length > 0 && looksLikeText(bytes.subarray(0, SNIFF_TEXT_BYTES))) {
    return { ext: 'text', mime: 'text/plain' };
  }
  return undefined;
}

function looksLikeText(head: Buffer): boolean {
  for (const byte of head) {
    const isControl = byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d;
    if (isControl || byte === 0x7f) return false;
  }
  return true;
}

/** " It looks like a GIF." (the names are in the catalogue, src/i18n) — or nothing when we cannot tell, rather than a guess. */
export function looksLike(sniffed: Sniffed | undefined): MemberText {
  return sniffed === undefined ? '' : localized('media.looksLike', { ext: sniffed.ext });
}
