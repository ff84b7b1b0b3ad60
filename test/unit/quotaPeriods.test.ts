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
    // Instants whose local day, ISO week or month differs from UTC's in these zones:
    // 00:30 UTC is still the day before in Pago Pago, 23:30 UTC already the next day in Kiritimati.
    const instants = ['2026-03-01T00:30:00Z', '2026-02-28T23:30:00Z', '2026-11-30T00:30:00Z', '2026-11-29T23:30:00Z'].map(at);
    const windowsAt = () => instants.flatMap((ms) => (['day', 'week', 'month'] as const).map((period) => periodWindow(period, ms)));

    const inUtc = inTimeZone('UTC', instants, 0, windowsAt);
    expect(inUtc[0]).toMatchObject({ key: 'day:2026-03-01', startMs: at('2026-03-01T00:00:00Z') });
    // UTC+14 and UTC-11: the two ends of the world's clocks.
    expect(inTimeZone('Pacific/Kiritimati', instants, -14 * 60, windowsAt)).toEqual(inUtc);
    expect(inTimeZone('Pacific/Pago_Pago', instants, 11 * 60, windowsAt)).toEqual(inUtc);
  });
});

/**
 * Runs `read` with this process in time zone `zone`, after proving the zone took effect at each
 * instant (Node re-reads TZ when it is assigned); then puts the machine's zone back.
 */
function inTimeZone<T>(zone: string, instants: number[], offsetMinutes: number, read: () => T): T {
  const machineZone = process.env.TZ;
  process.env.TZ = zone;
  try {
    for (const ms of instants) expect(new Date(ms).getTimezoneOffset(), `offset in ${zone}`).toBe(offsetMinutes);
    if (zone !== 'UTC') expect(new Date(0).getTimezoneOffset()).not.toBe(0);
    return read();
  } finally {
    if (machineZone === undefined) delete process.env.TZ;
    else process.env.TZ = machineZone;
  }
}
