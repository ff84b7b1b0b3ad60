import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ThrottledEditor } from '../../src/discord/throttledEditor.js';

describe('ThrottledEditor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function editor(intervalMs = 1000) {
    const sent: string[] = [];
    const throttled = new ThrottledEditor<string>(
      async (payload) => {
        sent.push(payload);
      },
      intervalMs,
      () => Date.now(),
      () => undefined,
    );
    return { sent, throttled };
  }

  it('sends the first update at once and coalesces the rest to the latest', async () => {
    const { sent, throttled } = editor();
    throttled.push('a');
    await vi.advanceTimersByTimeAsync(0);
    throttled.push('b');
    throttled.push('c');
    throttled.push('d');
    await vi.advanceTimersByTimeAsync(999);
    expect(sent).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual(['a', 'd']);
  });

  it('never sends more than one update per interval', async () => {
    const { sent, throttled } = editor(1000);
    for (let i = 0; i < 100; i += 1) {
      throttled.push(`p${i}`);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(sent.length).toBeLessThanOrEqual(11);
    expect(sent.length).toBeGreaterThanOrEqual(9);
  });

  it('drops pending progress when the final message is sent', async () => {
    const { sent, throttled } = editor();
    throttled.push('a');
    await vi.advanceTimersByTimeAsync(0);
    throttled.push('stale');
    await throttled.close();
    sent.push('final'); // the caller's last word, sent after close() (JobMessenger.finish)
    await vi.advanceTimersByTimeAsync(5000);
    throttled.push('late');
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toEqual(['a', 'final']);
  });
});
