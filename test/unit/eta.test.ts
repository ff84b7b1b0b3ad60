import { describe, expect, it } from 'vitest';
import { MIN_HISTORY_SAMPLES, estimate, median, typicalTimings, type TypicalTimings } from '../../src/jobs/eta.js';
import { wan25 } from '../../src/fal/models/wan25.js';
import { clipCostCents } from '../../src/quota/cost.js';
import { formatUsd } from '../../src/quota/money.js';

const kind = { resolution: '1080p', durationSeconds: 5 };
const typical: TypicalTimings = { queueMs: 20_000, runMs: 40_000, parallelRuns: 2, basis: 'history' };
const T = 1_700_000_000_000;

describe('median', () => {
  it('is the middle value of an odd count, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it('is the mean of the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(3); // (2 + 3) / 2, rounded to whole milliseconds
    expect(median([10, 20])).toBe(15);
  });

  it('is undefined for no values, and not swayed by one stuck job', () => {
    expect(median([])).toBeUndefined();
    expect(median([40_000, 41_000, 39_000, 40_500, 3_600_000])).toBe(40_500);
  });
});

describe('typical timings', () => {
  const samples = (count: number) => Array.from({ length: count }, (_, i) => ({ queueMs: 10_000 + i * 1_000, runMs: 30_000 + i * 2_000 }));

  it(`use the model's figures until the store has ${MIN_HISTORY_SAMPLES} deliveries of the kind`, () => {
    const few = typicalTimings(samples(MIN_HISTORY_SAMPLES - 1), wan25.timings, kind);
    expect(few).toEqual({ queueMs: 0, runMs: wan25.timings.runSeconds('1080p', 5) * 1000, parallelRuns: wan25.timings.parallelRuns, basis: 'model' });
  });

  it('use the medians of the deliveries once there are enough', () => {
    const enough = typicalTimings(samples(MIN_HISTORY_SAMPLES), wan25.timings, kind);
    expect(enough).toEqual({ queueMs: 12_000, runMs: 34_000, parallelRuns: wan25.timings.parallelRuns, basis: 'history' });
  });

  it('expect 10 s clips to take longer than 5 s clips by the model', () => {
    expect(typicalTimings([], wan25.timings, { ...kind, durationSeconds: 10 }).runMs).toBeGreaterThan(typicalTimings([], wan25.timings, kind).runMs);
  });
});

describe('estimate', () => {
  const base = { createdAt: T, submittedAt: null, startedAt: null, queuePosition: null };

  it('before fal has the job: the typical wait and run from now', () => {
    expect(estimate({ ...base, phase: 'preparing' }, typical, T + 1_000)).toEqual({ doneAt: T + 1_000 + 60_000, fraction: 1_000 / 61_000 });
  });

  it('in line without a place: what is left of the typical wait, then a run', () => {
    const waited = estimate({ ...base, phase: 'queued', submittedAt: T }, typical, T + 5_000);
    expect(waited.doneAt).toBe(T + 5_000 + 15_000 + 40_000);
    const overdue = estimate({ ...base, phase: 'queued', submittedAt: T }, typical, T + 30_000);
    expect(overdue.doneAt).toBe(T + 30_000 + 40_000);
  });

  it('in line at a place: a slot of one run per parallel runs ahead, so it grows with the place', () => {
    const at = (queuePosition: number) => estimate({ ...base, phase: 'queued', submittedAt: T, queuePosition }, typical, T).doneAt;
    expect(at(0)).toBe(T + 40_000);
    expect(at(1)).toBe(T + 80_000);
    expect(at(2)).toBe(T + 80_000);
    expect(at(6)).toBe(T + 160_000);
  });

  it('running: the typical run from when it started, counting down', () => {
    const running = estimate({ ...base, phase: 'running', submittedAt: T, startedAt: T + 20_000 }, typical, T + 50_000);
    expect(running).toEqual({ doneAt: T + 60_000, fraction: 50_000 / 60_000 });
  });

  it('says no date once the job runs past the typical time, and never shows it done', () => {
    const late = estimate({ ...base, phase: 'running', startedAt: T }, typical, T + 40_001);
    expect(late).toEqual({ doneAt: null, fraction: 0.99 });
  });

  it('is revised as the job moves: in line, then running', () => {
    const queued = estimate({ ...base, phase: 'queued', submittedAt: T, queuePosition: 4 }, typical, T + 1_000);
    const running = estimate({ ...base, phase: 'running', submittedAt: T, startedAt: T + 2_000 }, typical, T + 2_000);
    expect(running.doneAt).toBeLessThan(queued.doneAt ?? 0);
    expect(running.fraction).toBeGreaterThan(queued.fraction);
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
