import { describe, expect, it } from 'vitest';
import { cleanMemberText, formatDuration, progressBar, renderDelivered, renderProgress } from '../../src/discord/format.js';
import { aJob as job } from '../support/jobs.js';

describe('cleanMemberText', () => {
  it('neutralises mentions so nobody is pinged', () => {
    const text = cleanMemberText('hi @everyone and <@123> and <@&456>', 200);
    expect(text).not.toContain('@everyone');
    expect(text).toContain('@\u200Beveryone');
    expect(text).not.toMatch(/<@&?\d+>/);
  });

  it('escapes Markdown and drops control, zero-width and bidi characters', () => {
    const text = cleanMemberText('**bold** `code`\u0007\u200B\u202Eevil\n# heading', 200);
    expect(text).toContain('\\*\\*bold\\*\\*');
    for (const invisible of ['\u0007', '\u200B', '\u202E', '\n']) expect(text).not.toContain(invisible);
  });

  it('drops the bidi and invisible characters the first version missed', () => {
    // Arabic letter mark, soft hyphen, Mongolian vowel separator, a tag character, Hangul filler, NEL, a lone surrogate.
    const text = cleanMemberText('a\u061Cb\u00ADc\u180Ed\u{E0041}e\u3164f\u0085g\uD800h', 200);
    expect(text).toBe('abcdefgh');
  });

  it('keeps right-to-left letters and emoji', () => {
    expect(cleanMemberText('שלום مرحبا 😀', 200)).toBe('שלום مرحبا 😀');
  });

  it.each([
    ['# heading', '\\# heading'],
    ['### heading', '\\### heading'],
    ['-# subtext', '\\-# subtext'],
    ['- item', '\\- item'],
    ['+ item', '\\+ item'],
    ['* item', '\\* item'],
    ['> quote', '\\> quote'],
    ['>>> quote', '\\>>> quote'],
    ['12. item', '12\\. item'],
    ['#hashtag stays', '#hashtag stays'],
    ['a - b # c', 'a - b # c'],
  ])('escapes a leading block marker: %j → %j', (input, expected) => {
    expect(cleanMemberText(input, 200)).toBe(expected);
  });

  it('leaves no link, masked link or link preview', () => {
    const text = cleanMemberText('[free nitro](https://evil.example/x) see http://evil.example and [a](b) [c](d)', 200);
    expect(text).not.toMatch(/https?:\/\//);
    expect(text).not.toMatch(/(?<!\\)\[/);
  });

  it('never cuts an emoji in half', () => {
    const text = cleanMemberText('😀'.repeat(10), 10);
    expect(text).toBe(`${'😀'.repeat(4)}…`);
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('truncates with an ellipsis', () => {
    expect(cleanMemberText('x'.repeat(50), 10)).toHaveLength(10);
    expect(cleanMemberText('x'.repeat(50), 10).endsWith('…')).toBe(true);
  });
});

describe('progress lines', () => {
  const DONE_AT = 1_700_000_180_000;

  it('shows the place in line, the elapsed time, a bar and when it should be ready', () => {
    const text = renderProgress(job(), {
      phase: 'queued',
      queuePosition: 3,
      elapsedMs: 42_000,
      estimate: { doneAt: DONE_AT, fraction: 0.3 },
      lastLog: null,
      cancellable: true,
    });
    expect(text).toContain('position 3');
    expect(text).toContain('0:42 elapsed');
    expect(text).toContain('▰▰▰▱▱▱▱▱▱▱ 30 % · ready <t:1700000180:R>');
  });

  it('shows the latest model log while running', () => {
    const text = renderProgress(job(), {
      phase: 'running',
      queuePosition: null,
      elapsedMs: 65_000,
      estimate: { doneAt: DONE_AT, fraction: 0.55 },
      lastLog: 'Generating frames',
      cancellable: false,
    });
    expect(text).toContain('1:05 elapsed');
    expect(text).toContain('Generating frames');
  });

  it('says the job takes longer than usual instead of a date in the past', () => {
    const text = renderProgress(job(), {
      phase: 'running',
      queuePosition: null,
      elapsedMs: 300_000,
      estimate: { doneAt: null, fraction: 0.99 },
      lastLog: null,
      cancellable: false,
    });
    expect(text).toContain('▰▰▰▰▰▰▰▰▰▱ 99 % · taking longer than usual');
    expect(text).not.toContain('<t:');
  });

  it('draws the bar in tenths, never past full', () => {
    expect(progressBar(0)).toBe('▱▱▱▱▱▱▱▱▱▱ 0 %');
    expect(progressBar(0.099)).toBe('▱▱▱▱▱▱▱▱▱▱ 9 %');
    expect(progressBar(0.5)).toBe('▰▰▰▰▰▱▱▱▱▱ 50 %');
    expect(progressBar(1.5)).toBe('▰▰▰▰▰▰▰▰▰▰ 100 %');
  });

  it('formats durations as m:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(61_999)).toBe('1:01');
  });
});

describe('cost line', () => {
  const DONE_AT_LATER = 1_700_000_120_000;

  it('says what the job uses and what is left this period', () => {
    const text = renderProgress(job(), {
      phase: 'preparing',
      queuePosition: null,
      elapsedMs: 0,
      estimate: { doneAt: DONE_AT_LATER, fraction: 0 },
      lastLog: null,
      cancellable: true,
      reservation: { costCents: 75, remainingCents: 1165, periodLabel: 'this month' },
    });
    expect(text).toContain('uses $0.75 — $11.65 left this month');
  });
});

describe('delivery message', () => {
  it('shows the rewritten prompt only when expansion changed it', () => {
    const same = renderDelivered(job({ actualPrompt: 'a cat waves', resultSeed: 7 }), { kind: 'link', url: 'u', sizeBytes: 1 });
    expect(same).not.toContain('Prompt used');
    const changed = renderDelivered(job({ actualPrompt: 'A fluffy cat waves slowly', resultSeed: 7 }), { kind: 'link', url: 'u', sizeBytes: 1 });
    expect(changed).toContain('Prompt used');
    expect(changed).toContain('Seed 7 · 1080p · 5 s');
  });
});
