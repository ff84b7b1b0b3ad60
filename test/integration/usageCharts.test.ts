import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { JobRepository } from '../../src/jobs/jobRepository.js';
import { ledgerJobOf } from '../../src/jobs/lifecycle.js';
import { layoutSpendChart } from '../../src/media/charts/spendChart.js';
import { layoutTopMembersChart } from '../../src/media/charts/topMembersChart.js';
import type { AlertSink } from '../../src/quota/alerts.js';
import { QuotaAdministration } from '../../src/quota/quotaAdministration.js';
import { QuotaLedger } from '../../src/quota/quotaLedger.js';
import type { LedgerJob } from '../../src/quota/quotaTypes.js';
import { spendChart, spendChartInput, topMembersChart, topMembersChartInput } from '../../src/quota/usageCharts.js';
import type { Store } from '../../src/store/database.js';
import { ENGINES, openTestStore } from '../support/engines.js';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const CHANNEL = '200000000000000001';
const ALICE = '300000000000000001';
const BOB = '300000000000000002';
const MOD = '300000000000000009';

const at = (iso: string) => Date.parse(iso);

/**
 * The charts' numbers come from the ledger: a ledger built movement by
 * movement at known times, then the day totals, the top members and what the
 * charts are given and draw are checked against what was written.
 */
describe.each(ENGINES)('chart data from the quota ledger on %s', (engine) => {
  let store: Store;
  let closeStore: () => Promise<void>;
  let nowMs: number;
  let ledger: QuotaLedger;
  let admin: QuotaAdministration;
  let jobs: JobRepository;

  beforeEach(async () => {
    ({ store, close: closeStore } = await openTestStore(engine));
    nowMs = at('2026-11-25T12:00:00Z');
    jobs = new JobRepository(store.db, () => nowMs);
    const sink: AlertSink = { budgetAlert: () => Promise.resolve() };
    const config = parseConfig({
      DISCORD_TOKEN: 'a'.repeat(24) + '.bbbbbb.' + 'c'.repeat(27),
      DISCORD_APPLICATION_ID: '123456789012345678',
      FAL_KEY: 'key-id:key-secret',
      DEFAULT_MEMBER_CLIPS_PER_DAY: '0',
      DEFAULT_MEMBER_CONCURRENT_JOBS: '0',
      DEFAULT_GUILD_CONCURRENT_JOBS: '0',
    });
    const deps = { store, config, logger: pino({ level: 'silent' }), now: () => nowMs };
    ledger = new QuotaLedger({ ...deps, alerts: sink });
    admin = new QuotaAdministration(deps);
  });
  afterEach(async () => {
    await closeStore();
  });

  /** A job reserved at `iso`, then settled as `outcome` (or left open). */
  async function spend(iso: string, user: string, costCents: number, outcome: 'commit' | 'refund' | 'open', guild = GUILD): Promise<void> {
    nowMs = at(iso);
    const created = await jobs.create({
      id: randomUUID(),
      model: 'wan-25',
      guildId: guild,
      channelId: CHANNEL,
      userId: user,
      reply: { applicationId: '1', interactionId: '1', token: 't', expiresAt: nowMs + 900_000, attachmentSizeLimit: 10 << 20, appPermissions: null },
      prompt: 'p',
      negativePrompt: null,
      resolution: '480p',
      durationSeconds: 5,
      seed: null,
      promptExpansion: true,
      imageSourceUrl: 'http://cdn.invalid/x.png',
      audioSourceUrl: null,
      costCents,
    });
    const job: LedgerJob = ledgerJobOf(created);
    await ledger.reserve(job, { roleIds: [] });
    // Settled later the same day: a settlement counts on the day its job was reserved.
    nowMs += 60_000;
    if (outcome === 'commit') await ledger.commit(job);
    if (outcome === 'refund') await ledger.refund(job);
  }

  async function knownLedger(): Promise<void> {
    await spend('2026-10-31T23:59:00Z', ALICE, 500, 'commit'); // last month
    await spend('2026-11-03T00:00:00Z', ALICE, 75, 'commit');
    await spend('2026-11-03T23:58:00Z', BOB, 150, 'commit');
    await spend('2026-11-10T09:00:00Z', ALICE, 75, 'refund');
    await spend('2026-11-12T09:00:00Z', BOB, 30, 'commit', OTHER_GUILD);
    await spend('2026-11-25T08:00:00Z', BOB, 30, 'open'); // today, still being made
    nowMs = at('2026-11-25T12:00:00Z');
  }

  it('totals each UTC day of the period so far, quiet days as zero, refunds taken back', async () => {
    await knownLedger();
    const spend = await admin.spendByDay(GUILD);
    expect(spend.period.key).toBe('month:2026-11');
    expect(spend.budgetCents).toBe(1000);
    expect(spend.days).toHaveLength(25);
    expect(spend.days[0]).toEqual({ day: '2026-11-01', cents: 0 });
    expect(spend.days.at(-1)).toEqual({ day: '2026-11-25', cents: 30 });
    expect(spend.days.filter((day) => day.cents !== 0)).toEqual([
      { day: '2026-11-03', cents: 225 },
      { day: '2026-11-25', cents: 30 },
    ]);
    expect((await admin.spendByDay(GUILD, ALICE)).days.filter((day) => day.cents !== 0)).toEqual([{ day: '2026-11-03', cents: 75 }]);
    expect((await admin.spendByDay(GUILD, MOD)).days.every((day) => day.cents === 0)).toBe(true);
  });

  it('follows the budget period: a week from Monday, a day alone', async () => {
    await knownLedger();
    await admin.updateSettings(GUILD, MOD, { budgetCents: 300, budgetPeriod: 'week' });
    const week = await admin.spendByDay(GUILD);
    // 2026-11-25 is a Wednesday.
    expect(week.days).toEqual([
      { day: '2026-11-23', cents: 0 },
      { day: '2026-11-24', cents: 0 },
      { day: '2026-11-25', cents: 30 },
    ]);
    expect(week.budgetCents).toBe(300);
    await admin.updateSettings(GUILD, MOD, { budgetPeriod: 'day' });
    expect((await admin.spendByDay(GUILD)).days).toEqual([{ day: '2026-11-25', cents: 30 }]);
  });

  it('draws the spend chart from those totals, with the budget line', async () => {
    await knownLedger();
    const spend = await admin.spendByDay(GUILD);
    const layout = layoutSpendChart(spendChartInput(spend));
    expect(layout.title).toBe('Spending this month');
    expect(layout.summary).toBe('$2.55 of $10.00');
    expect(layout.bars.map((bar) => bar.cents)).toEqual(spend.days.map((day) => day.cents));
    const third = layout.bars.find((bar) => bar.day === '2026-11-03');
    const today = layout.bars.find((bar) => bar.day === '2026-11-25');
    expect(third?.height).toBeCloseTo((225 / 30) * (today?.height ?? 0), 0);
    expect(layout.budget?.label).toBe('Budget $10.00');
    expect(layout.runningTotalLabel).toBe('$2.55 so far');
    expect(layoutSpendChart(spendChartInput(await admin.spendByDay(GUILD, ALICE), { kind: 'you' })).title).toBe('Your spending this month');

    const chart = await spendChart(spend);
    expect(chart.fileName).toBe('spend.png');
    const metadata = await sharp(chart.png).metadata();
    expect(metadata).toMatchObject({ format: 'png', width: 800, height: 400 });
    expect(chart.png.length).toBeGreaterThan(2_000);
    expect(chart.png.length).toBeLessThan(150_000);
  });

  it('ranks the top members by what they spent this period, by name', async () => {
    await knownLedger();
    const { spenders } = await admin.top(GUILD);
    const names = new Map([[BOB, 'Bob the Builder']]);
    const layout = layoutTopMembersChart(topMembersChartInput(spenders, (id) => names.get(id)));
    expect(layout.bars.map((bar) => [bar.label, bar.valueLabel])).toEqual([
      ['Bob the Builder', '$1.80'],
      ['member …0001', '$0.75'],
    ]);
    expect(layout.bars[0]?.width).toBe(layout.maxBarWidth);

    const chart = await topMembersChart(spenders, (id) => names.get(id));
    expect(chart.fileName).toBe('top-members.png');
    expect(await sharp(chart.png).metadata()).toMatchObject({ format: 'png', width: 800, height: 400 });
  });
});
