import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { JobHistory } from '../../src/jobs/jobHistory.js';
import { periodWindow } from '../../src/quota/periods.js';
import { QuotaAdministration } from '../../src/quota/quotaAdministration.js';
import { SpendingReport } from '../../src/quota/spendingReport.js';
import type { Store } from '../../src/store/database.js';
import { seedJobs, type SeededJob } from '../support/dashboard.js';
import { ENGINES, openTestStore } from '../support/engines.js';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const CHANNEL = '200000000000000001';
const ALICE = '300000000000000001';
const BOB = '300000000000000002';
const MOD = '300000000000000009';

const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-11-25T12:00:00Z');
const MONTH = periodWindow('month', NOW);

function job(overrides: Partial<SeededJob> & Pick<SeededJob, 'createdAt'>): SeededJob {
  return { userId: ALICE, guildId: GUILD, channelId: CHANNEL, ...overrides };
}

describe.each(ENGINES)('what the dashboard reads (%s)', (engine) => {
  let store: Store;
  let closeStore: () => Promise<void>;

  beforeEach(async () => {
    ({ store, close: closeStore } = await openTestStore(engine));
  });
  afterEach(async () => {
    await closeStore();
  });

  it('adds up spending per UTC day of the period so far, refunds taken back, quiet days as zero', async () => {
    await seedJobs(store, [
      job({ createdAt: at('2026-11-01T00:00:00Z'), costCents: 75 }),
      job({ createdAt: at('2026-11-01T23:59:59Z'), costCents: 50, userId: BOB }),
      job({ createdAt: at('2026-11-03T10:00:00Z'), costCents: 25, state: 'failed' }),
      job({ createdAt: at('2026-11-03T11:00:00Z'), costCents: 75, state: 'running' }),
      job({ createdAt: at('2026-10-31T23:59:59Z'), costCents: 999 }),
      job({ createdAt: at('2026-11-02T12:00:00Z'), costCents: 999, guildId: OTHER_GUILD }),
    ]);
    const days = await new SpendingReport(store).perDay(GUILD, MONTH, NOW);
    expect(days).toHaveLength(25);
    expect(days.slice(0, 4)).toEqual([
      { day: '2026-11-01', cents: 125 },
      { day: '2026-11-02', cents: 0 },
      { day: '2026-11-03', cents: 75 },
      { day: '2026-11-04', cents: 0 },
    ]);
    expect(days.at(-1)).toEqual({ day: '2026-11-25', cents: 0 });
  });

  it('splits spending by resolution, most first, and by member', async () => {
    await seedJobs(store, [
      job({ createdAt: at('2026-11-02T10:00:00Z'), resolution: '1080p', costCents: 75 }),
      job({ createdAt: at('2026-11-02T11:00:00Z'), resolution: '1080p', costCents: 75, userId: BOB }),
      job({ createdAt: at('2026-11-02T12:00:00Z'), resolution: '480p', costCents: 25, userId: BOB }),
      job({ createdAt: at('2026-11-02T13:00:00Z'), resolution: '720p', costCents: 50, state: 'cancelled' }),
    ]);
    const report = new SpendingReport(store);
    expect(await report.perResolution(GUILD, MONTH)).toEqual([
      { resolution: '1080p', cents: 150, clips: 2 },
      { resolution: '480p', cents: 25, clips: 1 },
    ]);
    expect(await report.perMember(GUILD, MONTH, 8)).toEqual([
      { userId: BOB, spentCents: 100, clips: 2 },
      { userId: ALICE, spentCents: 75, clips: 1 },
    ]);
  });

  it('pages a server’s jobs newest first, filtered by outcome, member and day, never another server’s', async () => {
    const hour = 3_600_000;
    const base = at('2026-11-10T00:00:00Z');
    await seedJobs(store, [
      ...Array.from({ length: 30 }, (_, index) => job({ createdAt: base + index * hour, prompt: `job ${index}`, userId: index % 3 === 0 ? BOB : ALICE })),
      job({ createdAt: base + 40 * hour, state: 'failed', prompt: 'a failure' }),
      job({ createdAt: base + 41 * hour, state: 'running', prompt: 'still running' }),
      job({ createdAt: base + 42 * hour, guildId: OTHER_GUILD, prompt: 'elsewhere' }),
    ]);
    const history = new JobHistory(store.db);

    const first = await history.page(GUILD, {}, 0, 25);
    expect(first.total).toBe(32);
    expect(first.jobs).toHaveLength(25);
    expect(first.jobs.map((j) => j.prompt).slice(0, 3)).toEqual(['still running', 'a failure', 'job 29']);
    const second = await history.page(GUILD, {}, 25, 25);
    expect(second.jobs.map((j) => j.prompt)).toEqual(['job 6', 'job 5', 'job 4', 'job 3', 'job 2', 'job 1', 'job 0']);
    expect([...first.jobs, ...second.jobs].some((j) => j.prompt === 'elsewhere')).toBe(false);

    const failed = await history.page(GUILD, { outcome: 'failed' }, 0, 25);
    expect(failed.jobs.map((j) => [j.prompt, j.charged, j.endNote])).toEqual([['a failure', false, 'fal could not make this video. You were not charged.']]);
    expect((await history.page(GUILD, { outcome: 'in_progress' }, 0, 25)).jobs.map((j) => [j.prompt, j.charged])).toEqual([['still running', null]]);
    expect((await history.page(GUILD, { outcome: 'delivered', userId: BOB }, 0, 25)).total).toBe(10);
    const dayTwo = await history.page(GUILD, { fromMs: at('2026-11-11T00:00:00Z'), untilMs: at('2026-11-12T00:00:00Z') }, 0, 25);
    expect(dayTwo.jobs.map((j) => j.prompt)).toEqual(['still running', 'a failure', 'job 29', 'job 28', 'job 27', 'job 26', 'job 25', 'job 24']);
  });

  it('audits where a change was made and pages the audit log', async () => {
    const config = parseConfig({ DISCORD_TOKEN: 'a'.repeat(24) + '.bbbbbb.' + 'c'.repeat(27), DISCORD_APPLICATION_ID: '123456789012345678', FAL_KEY: 'key-id:key-secret' });
    let nowMs = NOW;
    const quota = new QuotaAdministration({ store, config, logger: pino({ level: 'silent' }), now: () => nowMs });
    await quota.updateSettings(GUILD, MOD, { budgetCents: 500 });
    nowMs += 1_000;
    await quota.updateSettings(GUILD, MOD, { memberClipsPerDay: 2, budgetPeriod: 'week' }, { via: 'dashboard' });
    expect(await quota.historyLength(GUILD)).toBe(3);
    expect(await quota.historyLength(OTHER_GUILD)).toBe(0);
    const latest = await quota.history(GUILD, 2);
    expect(latest.map((entry) => [entry.setting, entry.via])).toEqual([
      ['memberClipsPerDay', 'dashboard'],
      ['budgetPeriod', 'dashboard'],
    ]);
    expect((await quota.history(GUILD, 2, 2)).map((entry) => [entry.setting, entry.newValue, entry.via])).toEqual([['budgetCents', 500, null]]);
  });
});
