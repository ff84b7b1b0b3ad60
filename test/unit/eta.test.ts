import { describe, expect, it } from 'vitest';
import { estimateRemainingMs } from '../../src/jobs/eta.js';
import { wan25 } from '../../src/fal/models/wan25.js';
import { clipCostCents } from '../../src/quota/cost.js';
import { formatUsd } from '../../src/quota/money.js';

describe('ETA model', () => {
  it('grows with the place in line', () => {
    const base = { phase: 'queued' as const, runningForMs: 0, resolution: '1080p', durationSeconds: 5 };
    const near = estimateRemainingMs(wan25.timings, { ...base, queuePosition: 0 })!;
    const far = estimateRemainingMs(wan25.timings, { ...base, queuePosition: 6 })!;
    expect(far).toBeGreaterThan(near);
  });

  it('counts down while running and says nothing once past the typical time', () => {
    const base = { phase: 'running' as const, queuePosition: null, resolution: '720p', durationSeconds: 5 };
    const run = wan25.timings.runSeconds('720p', 5) * 1000;
    expect(estimateRemainingMs(wan25.timings, { ...base, runningForMs: 30_000 })).toBe(run - 30_000);
    expect(estimateRemainingMs(wan25.timings, { ...base, runningForMs: run + 1 })).toBeNull();
  });

  it('expects 10 s clips to take longer than 5 s clips', () => {
    expect(wan25.timings.runSeconds('1080p', 10)).toBeGreaterThan(wan25.timings.runSeconds('1080p', 5));
  });
});

describe('cost model', () => {
  const prices = { '480p': 5, '720p': 10, '1080p': 15 };
  it('prices a 5 s 1080p clip at $0.75 in integer cents', () => {
    expect(clipCostCents(prices, '1080p', '5')).toBe(75);
    expect(clipCostCents(prices, '480p', '10')).toBe(50);
    expect(formatUsd(1165)).toBe('$11.65');
  });
});
