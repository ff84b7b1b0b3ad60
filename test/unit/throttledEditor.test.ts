import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EditPace } from '../../src/discord/editPace.js';
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

describe('ThrottledEditor with a shared EditPace', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function editors(count: number, perSecond: number) {
    const sent: Array<{ editor: number; payload: string; at: number }> = [];
    const pace = new EditPace(perSecond, () => Date.now());
    const all = Array.from(
      { length: count },
      (_, editor) =>
        new ThrottledEditor<string>(
          async (payload) => {
            sent.push({ editor, payload, at: Date.now() });
          },
          1000,
          () => Date.now(),
          () => undefined,
          pace,
        ),
    );
    return { sent, all };
  }

  it('lets all editors together send no more than the pace allows, after a burst of one second', async () => {
    const { sent, all } = editors(100, 10);
    const startedAt = Date.now();
    all.forEach((editor, index) => editor.push(`first ${index}`));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(10);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sent).toHaveLength(60);
    // In the order they asked.
    expect(sent.map((edit) => edit.editor)).toEqual(Array.from({ length: 60 }, (_, index) => index));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sent).toHaveLength(100);
    expect(Math.max(...sent.map((edit) => edit.at)) - startedAt).toBeLessThanOrEqual(9_000);
  });

  it('sends the latest payload once its slot comes, and nothing after close()', async () => {
    const { sent, all } = editors(3, 1);
    all.forEach((editor) => editor.push('old'));
    await vi.advanceTimersByTimeAsync(0);
    // The first has its slot at once (the burst); the other two wait a second each.
    all[1]!.push('newer');
    const closing = all[2]!.close();
    // close() waits for an edit being sent, never for a slot.
    await closing;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(sent.map((edit) => [edit.editor, edit.payload])).toEqual([
      [0, 'old'],
      [1, 'newer'],
    ]);
  });
});
