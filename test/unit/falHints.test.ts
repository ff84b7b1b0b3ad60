import { describe, expect, it } from 'vitest';
import { createFalHints } from '../../src/jobs/falHints.js';
import { retryAfterMsOf } from '../../src/fal/falGateway.js';

describe('fal hints (webhooks waking trackers)', () => {
  const never = new AbortController().signal;

  it('wakes the waiting tracker once; repeats and unknown requests change nothing', async () => {
    const hints = createFalHints();
    hints.watch('req-1');
    const started = Date.now();
    const waiting = hints.wait('req-1', 5_000, never);
    expect(hints.hint('req-1')).toBe('woke');
    expect(await waiting).toBe('hint');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(hints.hint('req-1')).toBe('repeat');
    // A repeat does not cut the next wait short.
    expect(await hints.wait('req-1', 50, never)).toBe('timeout');
    expect(hints.hint('req-unknown')).toBe('unknown');
  });

  it('keeps a webhook that arrives between two waits for the next one', async () => {
    const hints = createFalHints();
    hints.watch('req-2');
    expect(hints.hint('req-2')).toBe('woke');
    expect(await hints.wait('req-2', 5_000, never)).toBe('hint');
  });

  it('keeps a webhook that comes before its tracker listens, for a few minutes', async () => {
    let clock = 0;
    const hints = createFalHints(() => clock);
    expect(hints.hint('req-early')).toBe('unknown');
    hints.watch('req-early');
    expect(await hints.wait('req-early', 5_000, never)).toBe('hint');
    expect(hints.hint('req-early')).toBe('repeat');

    expect(hints.hint('req-stale')).toBe('unknown');
    clock += 11 * 60_000;
    hints.watch('req-stale');
    expect(await hints.wait('req-stale', 20, never)).toBe('timeout');
  });

  it('forgets a request once its tracking ends', () => {
    const hints = createFalHints();
    hints.watch('req-3');
    hints.unwatch('req-3');
    expect(hints.hint('req-3')).toBe('unknown');
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, and ignores nonsense', () => {
    expect(retryAfterMsOf('3')).toBe(3_000);
    expect(retryAfterMsOf(new Date(10_000 + 5_000).toUTCString(), 10_000)).toBe(5_000);
    expect(retryAfterMsOf(null)).toBeUndefined();
    expect(retryAfterMsOf('soon')).toBeUndefined();
  });
});
