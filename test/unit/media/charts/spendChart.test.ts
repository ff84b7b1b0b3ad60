import { describe, expect, it } from 'vitest';
import { buildSpendChartSvg, layoutSpendChart, NOTHING_SPENT, renderSpendChart } from '../../../../src/media/charts/spendChart.js';
import { darkPixels, pngFacts } from './chartPng.js';

const WEEK = [
  { day: '2026-11-24', cents: 300 },
  { day: '2026-11-23', cents: 100 },
  { day: '2026-11-25', cents: 0 },
];

/** The attributes of every `<tag class="name" …>` in the SVG. */
function elements(svg: string, tag: string, className: string): Array<Record<string, string>> {
  return [...svg.matchAll(new RegExp(`<${tag} class="${className}"([^>]*)>`, 'g'))].map((match) =>
    Object.fromEntries([...(match[1] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((attribute) => [attribute[1], attribute[2]])),
  );
}

describe('layoutSpendChart', () => {
  it('draws each bar as tall as its share of the axis, and the budget line at the budget', () => {
    const layout = layoutSpendChart({ days: WEEK, budgetCents: 1000 });
    // The budget (with 8 % headroom, $10.80) rounds up to a $15 axis in $5 steps.
    expect(layout.axisTopCents).toBe(1500);
    expect(layout.ticks.map((tick) => tick.label)).toEqual(['$0', '$5', '$10', '$15']);

    const plotHeight = layout.plot.bottom - layout.plot.top;
    expect(layout.bars.map((bar) => bar.day)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25']);
    for (const bar of layout.bars) {
      expect(bar.height).toBeCloseTo((bar.cents / 1500) * plotHeight, 1);
      expect(bar.y + bar.height).toBeCloseTo(layout.plot.bottom, 1);
    }
    expect(layout.bars[1]?.height).toBeCloseTo(3 * (layout.bars[0]?.height ?? 0), 0);
    expect(layout.budget?.y).toBeCloseTo(layout.plot.bottom - (1000 / 1500) * plotHeight, 1);
    expect(layout.summary).toBe('$4.00 of $10.00');
  });

  it('labels a week by weekday with amounts, and a month by date every other day', () => {
    const week = layoutSpendChart({ days: WEEK, budgetCents: 1000 });
    expect(week.bars.map((bar) => [bar.dayLabel, bar.valueLabel])).toEqual([
      ['Mon', '$1.00'],
      ['Tue', '$3.00'],
      ['Wed', undefined],
    ]);

    const month = Array.from({ length: 30 }, (_, index) => ({ day: `2026-11-${String(index + 1).padStart(2, '0')}`, cents: 50 }));
    const layout = layoutSpendChart({ days: month, budgetCents: 5000 });
    expect(layout.bars.slice(0, 4).map((bar) => bar.dayLabel)).toEqual(['1', undefined, '3', undefined]);
    expect(layout.bars.every((bar) => bar.valueLabel === undefined)).toBe(true);
  });

  it('draws the running total from day to day, ending at the period total', () => {
    const layout = layoutSpendChart({ days: WEEK, budgetCents: 1000 });
    const plotHeight = layout.plot.bottom - layout.plot.top;
    expect(layout.runningTotal.map((point) => point.y)).toEqual(
      [100, 400, 400].map((cents) => Math.round((layout.plot.bottom - (cents / 1500) * plotHeight) * 10) / 10),
    );
    expect(layout.runningTotalLabel).toBe('$4.00 so far');
    expect(layoutSpendChart({ days: [{ day: '2026-11-25', cents: 730 }], budgetCents: 1000 }).runningTotal).toEqual([]);
  });

  it('scales to the spending when it is over budget, and treats negative or broken amounts as nothing', () => {
    const layout = layoutSpendChart({
      days: [
        { day: '2026-11-23', cents: 4000 },
        { day: '2026-11-24', cents: -500 },
        { day: '2026-11-25', cents: Number.NaN },
      ],
      budgetCents: 1000,
    });
    expect(layout.axisTopCents).toBeGreaterThanOrEqual(4000);
    expect(layout.bars.map((bar) => bar.cents)).toEqual([4000, 0, 0]);
    expect(layout.summary).toBe('$40.00 of $10.00');
  });
});

describe('buildSpendChartSvg', () => {
  it('writes the computed bars, labels and budget line into the SVG', () => {
    const svg = buildSpendChartSvg({ days: WEEK, budgetCents: 1000, title: 'Spending this week' });
    const layout = layoutSpendChart({ days: WEEK, budgetCents: 1000 });

    const bars = elements(svg, 'rect', 'bar');
    // A day with nothing spent has no bar at all.
    expect(bars.map((bar) => [bar['data-cents'], Number(bar.height), Number(bar.y)])).toEqual(
      layout.bars.filter((bar) => bar.cents > 0).map((bar) => [String(bar.cents), bar.height, bar.y]),
    );
    expect(elements(svg, 'line', 'budget')[0]).toMatchObject({ y1: String(layout.budget?.y), y2: String(layout.budget?.y) });
    expect(svg).toContain('>Budget $10.00</text>');
    expect(svg).toContain('>$1.00</text>');
    expect(svg).toContain('>$3.00</text>');
    expect(svg).toContain('>$4.00 of $10.00</text>');
    expect(svg).toContain('>Spending this week</text>');
  });

  it('escapes a hostile title', () => {
    const svg = buildSpendChartSvg({ days: WEEK, budgetCents: 1000, title: '<b>&"x"' });
    expect(svg).toContain('&lt;b&gt;&amp;&quot;x&quot;');
    expect(svg).not.toContain('<b>');
  });

  it('says nothing was spent instead of drawing empty bars', () => {
    for (const days of [[], WEEK.map((day) => ({ ...day, cents: 0 }))]) {
      const svg = buildSpendChartSvg({ days, budgetCents: 5000 });
      expect(svg).toContain(`>${NOTHING_SPENT}</text>`);
      expect(elements(svg, 'rect', 'bar')).toEqual([]);
      expect(svg).toContain('>$0.00 of $50.00</text>');
    }
  });
});

describe('renderSpendChart', () => {
  it('renders a small PNG of the requested size', async () => {
    const month = Array.from({ length: 31 }, (_, index) => ({ day: `2026-12-${String(index + 1).padStart(2, '0')}`, cents: (index * 37) % 500 }));
    expect(await pngFacts(await renderSpendChart({ days: month, budgetCents: 5000 }))).toMatchObject({ format: 'png', width: 800, height: 400 });
    const small = await pngFacts(await renderSpendChart({ days: WEEK, budgetCents: 1000, width: 600, height: 300 }));
    expect(small).toMatchObject({ format: 'png', width: 600, height: 300 });
    expect(small.sizeBytes).toBeLessThan(200 * 1024);
  });

  it('draws the "nothing spent yet" text with a real font', async () => {
    const png = await renderSpendChart({ days: [], budgetCents: 5000 });
    expect(await pngFacts(png)).toMatchObject({ format: 'png', width: 800, height: 400 });
    // The sentence sits mid-chart; without a usable font that area stays blank.
    expect(await darkPixels(png, { left: 200, top: 160, width: 400, height: 60 })).toBeGreaterThan(500);
    expect(await darkPixels(png, { left: 200, top: 300, width: 400, height: 60 })).toBe(0);
  });
});
