import { CHART_STYLE, type ChartSize, formatDollars, px, renderSvgToPng, safeCents } from './chartStyle.js';
import { chartOpening, escapeXml, truncateLabel } from './svgText.js';

export interface ResolutionSpend {
  /** '480p', '720p', '1080p' (any label: a later model may name others). */
  resolution: string;
  cents: number;
  clips: number;
}

export interface ResolutionChartInput extends ChartSize {
  /** Drawn in the order given (the caller sorts: most spent first, or the model's order). */
  resolutions: readonly ResolutionSpend[];
  /** Default 'Spend per resolution'. */
  title?: string;
}

export interface ResolutionBar {
  resolution: string;
  cents: number;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Over the bar: '$12.50'. */
  valueLabel: string;
  /** Under the bar: '1080p · 10 clips'. */
  nameLabel: string;
}

export interface ResolutionChartLayout {
  width: number;
  height: number;
  title: string;
  /** Nothing spent: the chart shows a sentence instead of bars. */
  empty: boolean;
  baseline: number;
  bars: ResolutionBar[];
}

export const NOTHING_SPENT = 'Nothing spent yet';

/** Smaller than the other charts: it has a handful of bars at most. */
const DEFAULT_SIZE = { width: 600, height: 360 };
const MARGIN = { top: 90, right: 24, bottom: 56, left: 24 };
const MAX_BAR_WIDTH = 120;
const MAX_BARS = 6;

/** One vertical bar per resolution, its amount over it and its clips under it; no axis needed for so few bars. */
export function layoutResolutionChart(input: ResolutionChartInput): ResolutionChartLayout {
  const width = input.width ?? DEFAULT_SIZE.width;
  const height = input.height ?? DEFAULT_SIZE.height;
  const rows = input.resolutions
    .map((row) => ({ ...row, cents: safeCents(row.cents), clips: Math.max(0, Math.round(row.clips)) }))
    .filter(({ cents }) => cents > 0)
    .slice(0, MAX_BARS);
  const baseline = height - MARGIN.bottom;
  const tallest = baseline - MARGIN.top;
  const largest = Math.max(0, ...rows.map(({ cents }) => cents));
  const slot = rows.length > 0 ? (width - MARGIN.left - MARGIN.right) / rows.length : 0;
  const barWidth = Math.min(slot * 0.6, MAX_BAR_WIDTH);
  const bars = rows.map(({ resolution, cents, clips }, index): ResolutionBar => {
    // A sliver at least, so a small amount still shows a bar.
    const barHeight = Math.max(3, (cents / largest) * tallest);
    return {
      resolution,
      cents,
      x: px(MARGIN.left + index * slot + (slot - barWidth) / 2),
      y: px(baseline - barHeight),
      width: px(barWidth),
      height: px(barHeight),
      valueLabel: formatDollars(cents),
      nameLabel: `${truncateLabel(resolution, 8)} · ${clips} ${clips === 1 ? 'clip' : 'clips'}`,
    };
  });
  return { width, height, title: input.title ?? 'Spend per resolution', empty: bars.length === 0, baseline, bars };
}

export function buildResolutionChartSvg(input: ResolutionChartInput): string {
  const layout = layoutResolutionChart(input);
  const { width, height, baseline } = layout;
  const s = CHART_STYLE;
  const parts = chartOpening(width, height, layout.title, 34);
  if (layout.empty) {
    parts.push(
      `<text class="empty" x="${width / 2}" y="${px((MARGIN.top + baseline) / 2)}" font-size="${s.titleSize + 4}" text-anchor="middle" fill="${s.mutedText}">${NOTHING_SPENT}</text>`,
      '</svg>',
    );
    return parts.join('\n');
  }
  for (const bar of layout.bars) {
    const centre = px(bar.x + bar.width / 2);
    parts.push(
      `<rect class="bar" data-resolution="${escapeXml(bar.resolution)}" data-cents="${bar.cents}" x="${bar.x}" y="${bar.y}" width="${bar.width}" height="${bar.height}" rx="3" fill="${s.bar}"/>`,
      `<text class="value" x="${centre}" y="${px(bar.y - 10)}" font-size="${s.labelSize}" font-weight="bold" text-anchor="middle" fill="${s.text}">${escapeXml(bar.valueLabel)}</text>`,
      `<text class="name" x="${centre}" y="${baseline + 32}" font-size="${s.smallSize}" text-anchor="middle" fill="${s.mutedText}">${escapeXml(bar.nameLabel)}</text>`,
    );
  }
  parts.push(`<line x1="${MARGIN.left}" y1="${baseline}" x2="${width - MARGIN.right}" y2="${baseline}" stroke="${s.text}" stroke-width="2"/>`, '</svg>');
  return parts.join('\n');
}

/** The chart as a PNG (about 10 KB at 600×360). */
export function renderResolutionChart(input: ResolutionChartInput): Promise<Buffer> {
  return renderSvgToPng(buildResolutionChartSvg(input));
}
