import { describe, expect, it } from 'vitest';
import { buildResolutionChartSvg, layoutResolutionChart, NOTHING_SPENT, renderResolutionChart } from '../../../../src/media/charts/resolutionChart.js';
import { darkPixels, pngFacts } from './chartPng.js';

const SPENDING = [
  { resolution: '1080p', cents: 900, clips: 12 },
  { resolution: '720p', cents: 300, clips: 6 },
  { resolution: '480p', cents: 150, clips: 1 },
];

describe('layoutResolutionChart', () => {
  it('draws one bar per resolution in the order given, heights in proportion, the largest full height', () => {
    const layout = layoutResolutionChart({ resolutions: SPENDING });
    expect(layout.bars.map((bar) => [bar.resolution, bar.valueLabel, bar.nameLabel])).toEqual([
      ['1080p', '$9.00', '1080p · 12 clips'],
      ['720p', '$3.00', '720p · 6 clips'],
      ['480p', '$1.50', '480p · 1 clip'],
    ]);
    const [largest, middle, smallest] = layout.bars.map((bar) => bar.height);
    expect(middle).toBeCloseTo((largest ?? 0) / 3, 0);
    expect(smallest).toBeCloseTo((largest ?? 0) / 6, 0);
    for (const bar of layout.bars) expect(bar.y + bar.height).toBeCloseTo(layout.baseline, 1);
    const xs = layout.bars.map((bar) => bar.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  it('leaves out what cost nothing (all refunded) and reads negatives as nothing', () => {
    const layout = layoutResolutionChart({ resolutions: [{ resolution: '720p', cents: 0, clips: 0 }, { resolution: '480p', cents: -50, clips: -1 }] });
    expect(layout.empty).toBe(true);
    expect(layout.bars).toEqual([]);
  });
});

describe('buildResolutionChartSvg', () => {
  it('writes each bar with the figures it stands for, labels escaped', () => {
    const input = { resolutions: [...SPENDING, { resolution: '<4k>', cents: 10, clips: 1 }] };
    const svg = buildResolutionChartSvg(input);
    const layout = layoutResolutionChart(input);
    for (const bar of layout.bars) {
      expect(svg).toContain(`data-resolution="${bar.resolution.replace('<', '&lt;').replace('>', '&gt;')}" data-cents="${bar.cents}" x="${bar.x}" y="${bar.y}"`);
      expect(svg).toContain(`>${bar.valueLabel}</text>`);
    }
    expect(svg).toContain('&lt;4k&gt; · 1 clip');
    expect(svg).not.toContain('<4k>');
  });

  it('says nothing was spent when nothing was', () => {
    const svg = buildResolutionChartSvg({ resolutions: [] });
    expect(svg).toContain(`>${NOTHING_SPENT}</text>`);
    expect(svg).not.toContain('class="bar"');
  });
});

describe('renderResolutionChart', () => {
  it('is a small PNG, 600×360 unless asked otherwise, with the bars drawn', async () => {
    const png = await renderResolutionChart({ resolutions: SPENDING });
    const facts = await pngFacts(png);
    expect(facts).toMatchObject({ format: 'png', width: 600, height: 360 });
    expect(facts.sizeBytes).toBeLessThan(60 * 1024);
    const [first] = layoutResolutionChart({ resolutions: SPENDING }).bars;
    if (!first) throw new Error('no bar');
    // The tallest bar is blurple: dark enough to count.
    expect(await darkPixels(png, { left: Math.round(first.x) + 4, top: Math.round(first.y) + 4, width: 20, height: 20 })).toBe(400);
    expect(await pngFacts(await renderResolutionChart({ resolutions: [], width: 400, height: 240 }))).toMatchObject({ width: 400, height: 240 });
  });
});
