import { CHART_STYLE, type ChartSize, formatDollars, px, renderSvgToPng, safeCents } from './chartStyle.js';
import { chartOpening, escapeXml, truncateLabel } from './svgText.js';

export interface MemberSpend {
  /** A display name, as members chose it: anything at all, escaped before drawing. */
  label: string;
  cents: number;
}

export interface TopMembersChartInput extends ChartSize {
  members: readonly MemberSpend[];
  /** Default 'Top spenders'. */
  title?: string;
  /** Rows drawn, biggest spenders first; default 8, which stays readable at 400 px high. */
  maxRows?: number;
}

export interface MemberBar {
  /** Cleaned and shortened: what is drawn. */
  label: string;
  cents: number;
  x: number;
  y: number;
  width: number;
  height: number;
  valueLabel: string;
}

export interface TopMembersChartLayout {
  width: number;
  height: number;
  title: string;
  /** Nobody spent anything: the chart shows a sentence instead of bars. */
  empty: boolean;
  bars: MemberBar[];
  /** Where the names end (right-aligned) and the bars start. */
  labelRight: number;
  barLeft: number;
  /** The longest bar's length, for the biggest spender. */
  maxBarWidth: number;
}

export const NOTHING_SPENT = 'Nothing spent yet';

const TOP = 76;
const BOTTOM = 20;
const LABEL_COLUMN = 260;
const VALUE_COLUMN = 120;
const MAX_ROW_HEIGHT = 56;
const MAX_NAME_CHARACTERS = 18;
const DEFAULT_ROWS = 8;

/** Members as horizontal bars, longest first, each with its name and amount; no axis needed. */
export function layoutTopMembersChart(input: TopMembersChartInput): TopMembersChartLayout {
  const width = input.width ?? CHART_STYLE.width;
  const height = input.height ?? CHART_STYLE.height;
  const rows = input.members
    .map(({ label, cents }) => ({ label, cents: safeCents(cents) }))
    .filter(({ cents }) => cents > 0)
    .sort((a, b) => b.cents - a.cents)
    .slice(0, input.maxRows ?? DEFAULT_ROWS);

  const labelRight = 24 + LABEL_COLUMN - 16;
  const barLeft = 24 + LABEL_COLUMN;
  const maxBarWidth = width - barLeft - VALUE_COLUMN;
  const rowHeight = rows.length > 0 ? Math.min(MAX_ROW_HEIGHT, (height - TOP - BOTTOM) / rows.length) : 0;
  const barHeight = rowHeight * 0.66;
  const largest = rows[0]?.cents ?? 0;

  const bars = rows.map(({ label, cents }, index): MemberBar => ({
    label: truncateLabel(label, MAX_NAME_CHARACTERS) || '(no name)',
    cents,
    x: barLeft,
    y: px(TOP + index * rowHeight + (rowHeight - barHeight) / 2),
    // A sliver at least, so a small spender still shows a bar.
    width: px(Math.max(3, (cents / largest) * maxBarWidth)),
    height: px(barHeight),
    valueLabel: formatDollars(cents),
  }));

  return { width, height, title: input.title ?? 'Top spenders', empty: rows.length === 0, bars, labelRight, barLeft, maxBarWidth };
}

export function buildTopMembersChartSvg(input: TopMembersChartInput): string {
  const layout = layoutTopMembersChart(input);
  const { width, height } = layout;
  const s = CHART_STYLE;
  const parts = chartOpening(width, height, layout.title, 40);
  if (layout.empty) {
    parts.push(
      `<text class="empty" x="${width / 2}" y="${px((TOP + height) / 2)}" font-size="${s.titleSize + 8}" text-anchor="middle" fill="${s.mutedText}">${NOTHING_SPENT}</text>`,
    );
  }
  for (const bar of layout.bars) {
    const baseline = px(bar.y + bar.height / 2 + s.labelSize * 0.35);
    parts.push(
      `<text class="name" x="${layout.labelRight}" y="${baseline}" font-size="${s.labelSize}" text-anchor="end" fill="${s.text}">${escapeXml(bar.label)}</text>`,
      `<rect class="bar" data-cents="${bar.cents}" x="${bar.x}" y="${bar.y}" width="${bar.width}" height="${bar.height}" rx="3" fill="${s.bar}"/>`,
      `<text class="value" x="${px(bar.x + bar.width + 10)}" y="${baseline}" font-size="${s.labelSize}" font-weight="bold" fill="${s.text}">${escapeXml(bar.valueLabel)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** The chart as a PNG (about 15–30 KB at 800×400). */
export function renderTopMembersChart(input: TopMembersChartInput): Promise<Buffer> {
  return renderSvgToPng(buildTopMembersChartSvg(input));
}
