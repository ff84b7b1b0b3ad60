import sharp from 'sharp';

/**
 * The look shared by every chart: sized to be read on a phone without zooming
 * (Discord shows a 800×400 image about 350 px wide there, so text is large).
 * 'sans-serif' resolves through fontconfig (DejaVu Sans on a Debian host).
 */
export const CHART_STYLE = {
  width: 800,
  height: 400,
  fontFamily: 'sans-serif',
  titleSize: 28,
  labelSize: 20,
  smallSize: 18,
  background: '#ffffff',
  text: '#1f2328',
  mutedText: '#57606a',
  grid: '#d8dee4',
  bar: '#5865f2',
  budget: '#cf222e',
  runningTotal: '#1a7f37',
} as const;

export interface ChartSize {
  /** Pixels; defaults to CHART_STYLE.width × CHART_STYLE.height. */
  width?: number;
  height?: number;
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const wholeUsd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

/** "$1,234.50". */
export function formatDollars(cents: number): string {
  return usd.format(cents / 100);
}

/** Axis ticks: "$20" for whole dollars, "$2.50" otherwise. */
export function formatTickDollars(cents: number): string {
  return cents % 100 === 0 ? wholeUsd.format(cents / 100) : usd.format(cents / 100);
}

/** Whole, non-negative cents; anything else (a refund's negative, NaN) counts as nothing spent. */
export function safeCents(cents: number): number {
  return Number.isFinite(cents) && cents > 0 ? Math.round(cents) : 0;
}

/**
 * A top for the value axis that is a round number of dollars or cents, with
 * its tick step: 1, 2, 2.5 or 5 times a power of ten, about four ticks.
 */
export function niceAxis(maxCents: number): { topCents: number; stepCents: number } {
  if (maxCents <= 0) return { topCents: 100, stepCents: 25 };
  const rough = maxCents / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step =
    [1, 2, 2.5, 5, 10]
      .map((factor) => Math.round(factor * magnitude * 100) / 100)
      // 2.5 cents is not a step anyone can read off an axis.
      .filter((candidate) => Number.isInteger(candidate))
      .find((candidate) => candidate >= rough) ?? 10 * magnitude;
  const stepCents = Math.max(1, Math.round(step));
  return { topCents: Math.ceil(maxCents / stepCents) * stepCents, stepCents };
}

/** A PNG of the SVG, drawn by librsvg inside sharp: no browser. */
export async function renderSvgToPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg, 'utf8')).png({ compressionLevel: 9, palette: true }).toBuffer();
}

/** `x` rounded to a tenth of a pixel, so the SVG stays short and tests can read it. */
export function px(value: number): number {
  return Math.round(value * 10) / 10;
}
