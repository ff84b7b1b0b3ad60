import { CHART_STYLE, type ChartSize, formatDollars, formatTickDollars, niceAxis, px, renderSvgToPng, safeCents } from './chartStyle.js';
import { chartOpening, escapeXml, truncateLabel } from './svgText.js';

export interface DaySpend {
  /** The UTC day, 'YYYY-MM-DD' (as the quota periods name days). */
  day: string;
  cents: number;
}

export interface SpendChartInput extends ChartSize {
  /** Every day of the period so far, zero days included; sorted here. */
  days: readonly DaySpend[];
  /** The period's budget; 0 draws no budget line. */
  budgetCents: number;
  /** Default 'Spending this period'. */
  title?: string;
}

export interface SpendBar {
  day: string;
  cents: number;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Under the bar; only every few days are named when there are many. */
  dayLabel: string | undefined;
  /** Over the bar, for a week or less and only for days with spending. */
  valueLabel: string | undefined;
}

/** Every number the SVG draws, computed from the input; exported so tests can check the drawing against the data. */
export interface SpendChartLayout {
  width: number;
  height: number;
  title: string;
  /** '$12.30 of $50.00'. */
  summary: string;
  /** Nothing spent: the chart shows a sentence instead of bars. */
  empty: boolean;
  plot: { left: number; right: number; top: number; bottom: number };
  axisTopCents: number;
  ticks: Array<{ cents: number; y: number; label: string }>;
  bars: SpendBar[];
  budget: { y: number; label: string } | undefined;
  /** The running total at each bar's centre; empty for a single day. */
  runningTotal: Array<{ x: number; y: number }>;
  runningTotalLabel: string | undefined;
}

export const NOTHING_SPENT = 'Nothing spent yet';

const MARGIN = { top: 76, right: 28, bottom: 44, left: 88 };
const MAX_BAR_WIDTH = 80;
const MAX_DAY_LABELS = 16;
const MAX_VALUE_LABELS = 10;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** A white outline behind a label keeps it readable where it crosses a bar or a line. */
const HALO = `stroke="${CHART_STYLE.background}" stroke-width="4" paint-order="stroke"`;

/**
 * Spend per day as bars, the budget as a dashed line across them, and (for
 * more than one day) the running total as a line: daily bars alone are tiny
 * next to a week's or a month's budget, while the running total shows at a
 * glance how close the period is to it.
 */
export function layoutSpendChart(input: SpendChartInput): SpendChartLayout {
  const width = input.width ?? CHART_STYLE.width;
  const height = input.height ?? CHART_STYLE.height;
  const plot = { left: MARGIN.left, right: width - MARGIN.right, top: MARGIN.top, bottom: height - MARGIN.bottom };
  const days = [...input.days].map(({ day, cents }) => ({ day, cents: safeCents(cents) })).sort((a, b) => a.day.localeCompare(b.day));
  const budgetCents = safeCents(input.budgetCents);

  let running = 0;
  const totals = days.map(({ cents }) => (running += cents));
  const totalCents = running;
  const showRunning = days.length > 1;
  const highest = Math.max(budgetCents, ...days.map(({ cents }) => cents), showRunning ? totalCents : 0);
  // Headroom, so a budget line never sits on the top edge under the title.
  const { topCents, stepCents } = niceAxis(Math.ceil(highest * 1.08));
  const yFor = (cents: number) => px(plot.bottom - (cents / topCents) * (plot.bottom - plot.top));

  const slot = days.length > 0 ? (plot.right - plot.left) / days.length : 0;
  const barWidth = Math.min(slot * 0.7, MAX_BAR_WIDTH);
  const labelEvery = Math.ceil(days.length / MAX_DAY_LABELS);
  const bars = days.map(({ day, cents }, index): SpendBar => {
    const y = yFor(cents);
    return {
      day,
      cents,
      x: px(plot.left + index * slot + (slot - barWidth) / 2),
      y,
      width: px(barWidth),
      height: px(plot.bottom - y),
      dayLabel: index % labelEvery === 0 ? dayLabel(day, days.length) : undefined,
      valueLabel: days.length <= MAX_VALUE_LABELS && cents > 0 ? formatDollars(cents) : undefined,
    };
  });

  const ticks = [];
  for (let cents = 0; cents <= topCents; cents += stepCents) ticks.push({ cents, y: yFor(cents), label: formatTickDollars(cents) });

  return {
    width,
    height,
    title: input.title ?? 'Spending this period',
    summary: `${formatDollars(totalCents)} of ${formatDollars(budgetCents)}`,
    empty: totalCents === 0,
    plot,
    axisTopCents: topCents,
    ticks,
    bars,
    budget: budgetCents > 0 ? { y: yFor(budgetCents), label: `Budget ${formatDollars(budgetCents)}` } : undefined,
    runningTotal: showRunning ? totals.map((cents, index) => ({ x: px(plot.left + (index + 0.5) * slot), y: yFor(cents) })) : [],
    runningTotalLabel: showRunning ? `${formatDollars(totalCents)} so far` : undefined,
  };
}

/** A week or less by weekday ('Mon'); longer periods by day of the month ('14'). Not a date: shown as given. */
function dayLabel(day: string, dayCount: number): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match === null) return truncateLabel(day, 6);
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return dayCount <= 7 ? (WEEKDAYS[date.getUTCDay()] ?? day) : String(date.getUTCDate());
}

export function buildSpendChartSvg(input: SpendChartInput): string {
  const layout = layoutSpendChart(input);
  const { width, height, plot } = layout;
  const s = CHART_STYLE;
  const parts = [
    ...chartOpening(width, height, layout.title, 30),
    `<text class="summary" x="${width - 24}" y="44" font-size="${s.titleSize - 2}" text-anchor="end" fill="${s.text}">${escapeXml(layout.summary)}</text>`,
  ];

  if (layout.empty) {
    parts.push(
      `<text class="empty" x="${width / 2}" y="${px((plot.top + plot.bottom) / 2)}" font-size="${s.titleSize + 8}" text-anchor="middle" fill="${s.mutedText}">${NOTHING_SPENT}</text>`,
      '</svg>',
    );
    return parts.join('\n');
  }

  for (const tick of layout.ticks) {
    parts.push(
      `<line x1="${plot.left}" y1="${tick.y}" x2="${plot.right}" y2="${tick.y}" stroke="${s.grid}" stroke-width="1"/>`,
      `<text class="tick" x="${plot.left - 10}" y="${px(tick.y + s.smallSize * 0.35)}" font-size="${s.smallSize}" text-anchor="end" fill="${s.mutedText}">${escapeXml(tick.label)}</text>`,
    );
  }
  for (const bar of layout.bars) {
    const centre = px(bar.x + bar.width / 2);
    if (bar.height > 0) {
      parts.push(
        `<rect class="bar" data-day="${escapeXml(bar.day)}" data-cents="${bar.cents}" x="${bar.x}" y="${bar.y}" width="${bar.width}" height="${bar.height}" rx="3" fill="${s.bar}"/>`,
      );
    }
    if (bar.valueLabel !== undefined) {
      parts.push(
        `<text class="value" x="${centre}" y="${px(bar.y - 8)}" font-size="${s.smallSize}" text-anchor="middle" fill="${s.text}" ${HALO}>${escapeXml(bar.valueLabel)}</text>`,
      );
    }
    if (bar.dayLabel !== undefined) {
      parts.push(
        `<text class="day" x="${centre}" y="${plot.bottom + 28}" font-size="${s.smallSize}" text-anchor="middle" fill="${s.mutedText}">${escapeXml(bar.dayLabel)}</text>`,
      );
    }
  }
  if (layout.runningTotal.length > 0) {
    const points = layout.runningTotal.map(({ x, y }) => `${x},${y}`).join(' ');
    const last = layout.runningTotal.at(-1);
    parts.push(`<polyline class="running" points="${points}" fill="none" stroke="${s.runningTotal}" stroke-width="3"/>`);
    if (last !== undefined && layout.runningTotalLabel !== undefined) {
      parts.push(
        `<text class="running-label" x="${Math.min(last.x, plot.right)}" y="${px(last.y - 10)}" font-size="${s.smallSize}" font-weight="bold" text-anchor="end" fill="${s.runningTotal}" ${HALO}>${escapeXml(layout.runningTotalLabel)}</text>`,
      );
    }
  }
  if (layout.budget !== undefined) {
    parts.push(
      `<line class="budget" x1="${plot.left}" y1="${layout.budget.y}" x2="${plot.right}" y2="${layout.budget.y}" stroke="${s.budget}" stroke-width="3" stroke-dasharray="12 8"/>`,
      `<text class="budget-label" x="${plot.left + 8}" y="${px(layout.budget.y - 8)}" font-size="${s.smallSize}" font-weight="bold" fill="${s.budget}" ${HALO}>${escapeXml(layout.budget.label)}</text>`,
    );
  }
  parts.push(`<line x1="${plot.left}" y1="${plot.bottom}" x2="${plot.right}" y2="${plot.bottom}" stroke="${s.text}" stroke-width="2"/>`, '</svg>');
  return parts.join('\n');
}

/** The chart as a PNG (about 20–40 KB at 800×400). */
export function renderSpendChart(input: SpendChartInput): Promise<Buffer> {
  return renderSvgToPng(buildSpendChartSvg(input));
}
