import { describe, expect, it } from 'vitest';
import {
  buildTopMembersChartSvg,
  layoutTopMembersChart,
  NOTHING_SPENT,
  renderTopMembersChart,
} from '../../../../src/media/charts/topMembersChart.js';
import { darkPixels, pngFacts } from './chartPng.js';

const HOSTILE = `</text><script>alert("x")</script>&nbsp;'`;

describe('layoutTopMembersChart', () => {
  it('orders members by spending and sizes bars in proportion, the largest full length', () => {
    const layout = layoutTopMembersChart({
      members: [
        { label: 'Bea', cents: 250 },
        { label: 'Al', cents: 1000 },
        { label: 'Cy', cents: 500 },
      ],
    });
    expect(layout.bars.map((bar) => [bar.label, bar.cents, bar.valueLabel])).toEqual([
      ['Al', 1000, '$10.00'],
      ['Cy', 500, '$5.00'],
      ['Bea', 250, '$2.50'],
    ]);
    expect(layout.bars.map((bar) => bar.width)).toEqual([layout.maxBarWidth, layout.maxBarWidth / 2, layout.maxBarWidth / 4]);
    const [first, second] = layout.bars;
    expect((second?.y ?? 0) - (first?.y ?? 0)).toBeGreaterThan(first?.height ?? 0);
  });

  it('leaves out members who spent nothing and keeps to the row limit', () => {
    const members = Array.from({ length: 12 }, (_, index) => ({ label: `m${index}`, cents: index * 10 }));
    const layout = layoutTopMembersChart({ members, maxRows: 5 });
    expect(layout.bars.map((bar) => bar.label)).toEqual(['m11', 'm10', 'm9', 'm8', 'm7']);
    expect(layoutTopMembersChart({ members }).bars).toHaveLength(8);
  });

  it('shortens long names and names the nameless', () => {
    const layout = layoutTopMembersChart({
      members: [
        { label: 'An extremely long display name for a chart', cents: 100 },
        { label: '\u0000\u202E', cents: 50 },
      ],
    });
    expect(layout.bars.map((bar) => bar.label)).toEqual(['An extremely long…', '(no name)']);
  });
});

describe('buildTopMembersChartSvg', () => {
  it('escapes names, so a hostile one is text and not markup', () => {
    const svg = buildTopMembersChartSvg({ members: [{ label: HOSTILE, cents: 100 }] });
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('&nbsp;');
    expect(svg).toContain('&lt;/text&gt;&lt;script&gt;al…');
    // One name, one bar, one amount: the name did not open or close any element.
    expect(svg.match(/<text /g)).toHaveLength(3);
    expect(svg.match(/<\/text>/g)).toHaveLength(3);
  });

  it('writes each bar with the amount it stands for', () => {
    const svg = buildTopMembersChartSvg({
      members: [
        { label: 'Al', cents: 1000 },
        { label: 'Cy', cents: 400 },
      ],
    });
    const layout = layoutTopMembersChart({ members: [{ label: 'Al', cents: 1000 }, { label: 'Cy', cents: 400 }] });
    for (const bar of layout.bars) {
      expect(svg).toContain(`data-cents="${bar.cents}" x="${bar.x}" y="${bar.y}" width="${bar.width}" height="${bar.height}"`);
      expect(svg).toContain(`>${bar.valueLabel}</text>`);
      expect(svg).toContain(`>${bar.label}</text>`);
    }
  });

  it('says nothing was spent when nobody spent anything', () => {
    const svg = buildTopMembersChartSvg({ members: [{ label: 'Idle', cents: 0 }] });
    expect(svg).toContain(`>${NOTHING_SPENT}</text>`);
    expect(svg).not.toContain('class="bar"');
  });
});

describe('renderTopMembersChart', () => {
  it('renders names no XML parser would accept raw into a small PNG', async () => {
    const png = await renderTopMembersChart({
      members: [
        { label: HOSTILE, cents: 900 },
        { label: 'nul\u0000 and lone \uD800 surrogate', cents: 500 },
        { label: ']]><!-- <!DOCTYPE x [<!ENTITY e "boom">]> &e;', cents: 300 },
        { label: 'Zoë 🎬', cents: 100 },
      ],
    });
    const facts = await pngFacts(png);
    expect(facts).toMatchObject({ format: 'png', width: 800, height: 400 });
    expect(facts.sizeBytes).toBeLessThan(200 * 1024);
    // Names are drawn at the left: text pixels there.
    expect(await darkPixels(png, { left: 24, top: 80, width: 240, height: 50 })).toBeGreaterThan(100);
  });

  it('renders the empty chart at a requested size', async () => {
    const png = await renderTopMembersChart({ members: [], width: 640, height: 320 });
    expect(await pngFacts(png)).toMatchObject({ format: 'png', width: 640, height: 320 });
    expect(await darkPixels(png, { left: 120, top: 150, width: 400, height: 60 })).toBeGreaterThan(300);
  });
});
