import { describe, expect, it } from 'vitest';
import { periodWindow } from '../../src/quota/periods.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('periodWindow (UTC)', () => {
  it('a day runs from 00:00 UTC to the next 00:00 UTC', () => {
    const day = periodWindow('day', at('2026-11-25T17:46:38.123Z'));
    expect(iso(day.startMs)).toBe('2026-11-25T00:00:00.000Z');
    expect(iso(day.endMs)).toBe('2026-11-26T00:00:00.000Z');
    expect(day.key).toBe('day:2026-11-25');
    expect(day.label).toBe('today');
  });

  it('rolls the day over exactly at midnight UTC', () => {
    const before = periodWindow('day', at('2026-11-25T23:59:59.999Z'));
    const after = periodWindow('day', at('2026-11-26T00:00:00.000Z'));
    expect(before.key).not.toBe(after.key);
    expect(before.endMs).toBe(after.startMs);
  });

  it('a week starts on Monday 00:00 UTC, also when "now" is a Sunday', () => {
    const sunday = periodWindow('week', at('2026-11-29T23:59:59.999Z'));
    expect(iso(sunday.startMs)).toBe('2026-11-23T00:00:00.000Z');
    expect(iso(sunday.endMs)).toBe('2026-11-30T00:00:00.000Z');
    const monday = periodWindow('week', at('2026-11-30T00:00:00.000Z'));
    expect(iso(monday.startMs)).toBe('2026-11-30T00:00:00.000Z');
    expect(monday.key).not.toBe(sunday.key);
    expect(sunday.label).toBe('this week');
  });

  it('names weeks by ISO week number, across the turn of the year', () => {
    expect(periodWindow('week', at('2026-11-25T12:00:00Z')).key).toBe('week:2026-W48');
    // 2027-01-01 is a Friday: it belongs to the last ISO week of 2026 (W53).
    expect(periodWindow('week', at('2027-01-01T12:00:00Z')).key).toBe('week:2026-W53');
    // 2024-12-30 is a Monday: ISO week 1 of 2025.
    expect(periodWindow('week', at('2024-12-31T12:00:00Z')).key).toBe('week:2025-W01');
    expect(iso(periodWindow('week', at('2027-01-01T12:00:00Z')).startMs)).toBe('2026-12-28T00:00:00.000Z');
  });

  it('a month runs from the 1st 00:00 UTC, with the right length in leap years and December', () => {
    const feb = periodWindow('month', at('2028-02-29T23:00:00Z'));
    expect(iso(feb.startMs)).toBe('2028-02-01T00:00:00.000Z');
    expect(iso(feb.endMs)).toBe('2028-03-01T00:00:00.000Z');
    expect(feb.key).toBe('month:2028-02');
    const december = periodWindow('month', at('2026-12-31T23:59:59.999Z'));
    expect(iso(december.endMs)).toBe('2027-01-01T00:00:00.000Z');
    expect(periodWindow('month', december.endMs).key).toBe('month:2027-01');
    expect(december.label).toBe('this month');
  });

  it('ignores the machine time zone: the window is the same for any TZ', () => {
    // Date.UTC/getUTC* only; this pins an instant that is a different day in most zones.
    const window = periodWindow('day', at('2026-03-01T00:30:00Z'));
    expect(iso(window.startMs)).toBe('2026-03-01T00:00:00.000Z');
  });
});
