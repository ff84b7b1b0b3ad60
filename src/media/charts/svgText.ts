/**
 * Text that goes into our SVGs comes partly from members (display names), so
 * it is made safe for XML here, once, before any chart places it.
 */
import { CHART_STYLE } from './chartStyle.js';

// Not allowed anywhere in XML 1.0: a parser (librsvg's) rejects the document.
// Matching control characters is the point here.
// eslint-disable-next-line no-control-regex
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Bidi overrides and isolates: a name could reverse the text drawn after it.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
const LINE_BREAKS = /[\t\n\r\u2028\u2029]+/g;

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** For element text and attribute values alike. */
export function escapeXml(text: string): string {
  return cleanLabel(text).replace(/[&<>"']/g, (character) => ENTITIES[character] ?? '');
}

/** One line of printable text: forbidden characters and bidi controls dropped, line breaks made spaces. */
export function cleanLabel(text: string): string {
  return text.replace(XML_FORBIDDEN, '').replace(BIDI_CONTROLS, '').replace(LINE_BREAKS, ' ').trim();
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * At most `maxCharacters` user-perceived characters, with "…" when cut; an
 * emoji or an accented letter is never split. (We cannot measure glyphs without
 * a browser; characters are a good enough proxy at our font sizes.)
 */
export function truncateLabel(text: string, maxCharacters: number): string {
  const parts = [...graphemes.segment(cleanLabel(text))].map((part) => part.segment);
  return parts.length <= maxCharacters ? parts.join('') : `${parts.slice(0, maxCharacters - 1).join('').trimEnd()}…`;
}

/**
 * The opening every chart shares: the SVG element at its size, a white
 * background, and the title (cut to `titleChars` so it never runs off the picture).
 */
export function chartOpening(width: number, height: number, title: string, titleChars: number): string[] {
  const s = CHART_STYLE;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${s.fontFamily}">`,
    `<rect width="${width}" height="${height}" fill="${s.background}"/>`,
    `<text x="24" y="44" font-size="${s.titleSize}" font-weight="bold" fill="${s.text}">${escapeXml(truncateLabel(title, titleChars))}</text>`,
  ];
}
