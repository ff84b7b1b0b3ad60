import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { QuotaError } from '../../src/errors.js';
import { JobRepository } from '../../src/jobs/jobRepository.js';
import type { AlertSink, BudgetAlert } from '../../src/quota/alerts.js';
import { ledgerJobOf } from '../../src/jobs/lifecycle.js';
import { QuotaAdministration } from '../../src/quota/quotaAdministration.js';
import { QuotaLedger } from '../../src/quota/quotaLedger.js';
import type { LedgerJob } from '../../src/quota/quotaTypes.js';
import type { Store } from '../../src/store/database.js';
import { ENGINES, openTestStore } from '../support/engines.js';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const CHANNEL = '200000000000000001';
const ALICE = '300000000000000001';
const BOB = '300000000000000002';
const MOD = '300000000000000009';
const VIP_ROLE = '400000000000000001';

function configWith(env: Record<string, string> = {}) {
  return parseConfig({
    DISCORD_TOKEN: 'a'.repeat(24) + '.bbbbbb.' + 'c'.repeat(27),
    DISCORD_APPLICATION_ID: '123456789012345678',
    FAL_KEY: 'key-id:key-secret',
    ...env,
  });
}

const at = (iso: string) => Date.parse(iso);

describe.each(ENGINES)('the quota ledger and its administration on %s', (engine) => {
  let store: Store;
  let closeStore: () => Promise<void>;
  let nowMs: number;
  let alerts: BudgetAlert[];
  let jobs: JobRepository;

  beforeEach(async () => {
    ({ store, close: closeStore } = await openTestStore(engine));
    nowMs = at('2026-11-25T12:00:00Z');
    alerts = [];
    jobs = new JobRepository(store.db, () => nowMs);
  });
  afterEach(async () => {
    await closeStore();
  });

  /** The ledger (what jobs call) and the administration (what /quota and /usage call) over one store. */
  function service(env: Record<string, string> = {}) {
    const sink: AlertSink = { budgetAlert: (alert) => (alerts.push(alert), Promise.resolve()) };
    // Only the rules a test names apply: counts are unlimited unless it sets them.
    const room = { DEFAULT_MEMBER_CLIPS_PER_DAY: '0', DEFAULT_MEMBER_CONCURRENT_JOBS: '0', DEFAULT_GUILD_CONCURRENT_JOBS: '0' };
    const deps = { store, config: configWith({ ...room, ...env }), logger: pino({ level: 'silent' }), now: () => nowMs };
    return { ledger: new QuotaLedger({ ...deps, alerts: sink }), admin: new QuotaAdministration(deps) };
  }

  async function job(options: { user?: string; guild?: string; costCents?: number; resolution?: string; duration?: number; audio?: boolean } = {}): Promise<LedgerJob> {
    const created = await jobs.create({
      id: randomUUID(),
      model: 'wan-25',
      guildId: options.guild ?? GUILD,
      channelId: CHANNEL,
      userId: options.user ?? ALICE,
      reply: {
        applicationId: '123456789012345678',
        interactionId: '1',
        token: 'token',
        expiresAt: nowMs + 900_000,
        attachmentSizeLimit: 10 * 1024 * 1024,
        appPermissions: null,
      },
      prompt: 'p',
      negativePrompt: null,
      resolution: options.resolution ?? '1080p',
      durationSeconds: options.duration ?? 5,
      seed: null,
      promptExpansion: true,
      imageSourceUrl: 'http://cdn.invalid/x.png',
      audioSourceUrl: options.audio ? 'http://cdn.invalid/a.mp3' : null,
      costCents: options.costCents ?? 75,
    });
    return ledgerJobOf(created);
  }

  async function refused(promise: Promise<unknown>): Promise<QuotaError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof QuotaError)) throw new Error(`expected a QuotaError, got ${String(error)}`);
    return error;
  }

  const member = { roleIds: [] as string[] };

  it('reserves, says what is left, and commits on delivery', async () => {
    const { ledger, admin } = service();
    const first = await job();
    expect(await ledger.reserve(first, member)).toEqual({ costCents: 75, remainingCents: 925, periodLabel: 'this month' });
    await ledger.commit(first);
    await ledger.commit(first);
    expect((await ledger.movements(first.id)).map((m) => m.kind)).toEqual(['reserve', 'commit']);
    expect((await admin.overview(GUILD)).spentCents).toBe(75);
  });

  it('refunds exactly once however many times the failure is reported, and never after a commit', async () => {
    const { ledger, admin } = service();
    const failed = await job();
    await ledger.reserve(failed, member);
    await Promise.all(Array.from({ length: 5 }, () => ledger.refund(failed)));
    await ledger.refund(failed);
    await ledger.commit(failed);
    const movements = await ledger.movements(failed.id);
    expect(movements.map((m) => m.kind)).toEqual(['reserve', 'refund']);
    expect(movements[1]?.period_key).toBe(movements[0]?.period_key);
    expect((await admin.overview(GUILD)).spentCents).toBe(0);
    expect((await admin.memberUsage(GUILD, ALICE, [])).clipsToday).toBe(0);

    const delivered = await job();
    await ledger.reserve(delivered, member);
    await ledger.commit(delivered);
    await ledger.refund(delivered);
    expect((await ledger.movements(delivered.id)).map((m) => m.kind)).toEqual(['reserve', 'commit']);

    const neverReserved = await job();
    await ledger.refund(neverReserved);
    expect(await ledger.movements(neverReserved.id)).toEqual([]);
  });

  it('lists the jobs whose reservation was neither committed nor refunded', async () => {
    const { ledger } = service();
    const [delivered, failed, open] = [await job(), await job(), await job()];
    for (const j of [delivered, failed, open]) await ledger.reserve(j, member);
    await ledger.commit(delivered);
    await ledger.refund(failed);
    expect(await ledger.unsettledJobIds()).toEqual([open.id]);
  });

  it('the database refuses a second refund row for a job', async () => {
    const { ledger } = service();
    const j = await job();
    await ledger.reserve(j, member);
    await ledger.refund(j);
    const [reserve] = await ledger.movements(j.id);
    const insertAgain = store.db
      .insertInto('quota_ledger')
      .values({ ...reserve!, id: randomUUID(), kind: 'refund' })
      .execute();
    await expect(insertAgain).rejects.toThrow(/unique/i);
  });

  it('gives exactly the budget to 50 reservations at once', async () => {
    const { ledger, admin } = service({ DEFAULT_GUILD_BUDGET_USD: '7.50', DEFAULT_MEMBER_CLIPS_PER_DAY: '0', DEFAULT_GUILD_CONCURRENT_JOBS: '0' });
    const many = await Promise.all(Array.from({ length: 50 }, (_, i) => job({ user: String(500000000000000000n + BigInt(i)) })));
    const results = await Promise.allSettled(many.map((j) => ledger.reserve(j, member)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const no = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(10);
    expect(no).toHaveLength(40);
    expect(no.every((r) => r.reason instanceof QuotaError && r.reason.rule === 'guild_budget')).toBe(true);
    const overview = await admin.overview(GUILD);
    expect(overview.spentCents).toBe(750);
    expect(overview.leftCents).toBe(0);
  });

  it('counts clips per member per UTC day and rolls over at midnight', async () => {
    const { ledger } = service({ DEFAULT_MEMBER_CLIPS_PER_DAY: '2' });
    nowMs = at('2026-11-25T23:59:00Z');
    await ledger.reserve(await job(), member);
    await ledger.reserve(await job(), member);
    const error = await refused(ledger.reserve(await job(), member));
    expect(error.rule).toBe('member_daily_clips');
    expect(error.retryAt?.toISOString()).toBe('2026-11-26T00:00:00.000Z');
    expect(error.memberMessage).toContain(`<t:${at('2026-11-26T00:00:00Z') / 1000}:R>`);
    // Another member is not affected.
    await ledger.reserve(await job({ user: BOB }), member);
    nowMs = at('2026-11-26T00:00:00Z');
    await expect(ledger.reserve(await job(), member)).resolves.toMatchObject({ costCents: 75 });
  });

  it('rolls a monthly budget over on the 1st at 00:00 UTC', async () => {
    const { ledger, admin } = service({ DEFAULT_GUILD_BUDGET_USD: '1.50', DEFAULT_MEMBER_CLIPS_PER_DAY: '0' });
    nowMs = at('2026-11-30T23:58:00Z');
    await ledger.reserve(await job(), member);
    expect(await ledger.reserve(await job(), member)).toMatchObject({ remainingCents: 0, periodLabel: 'this month' });
    const error = await refused(ledger.reserve(await job(), member));
    expect(error.rule).toBe('guild_budget');
    expect(error.memberMessage).toBe(`This server has used its $1.50 budget for this month. It resets <t:${at('2026-12-01T00:00:00Z') / 1000}:R>.`);
    nowMs = at('2026-12-01T00:00:00Z');
    expect(await ledger.reserve(await job(), member)).toEqual({ costCents: 75, remainingCents: 75, periodLabel: 'this month' });
    expect((await admin.overview(GUILD)).spentCents).toBe(75);
  });

  it('rolls a weekly budget over on Monday 00:00 UTC, counting only this week after a switch from monthly', async () => {
    const { ledger, admin } = service({ DEFAULT_GUILD_BUDGET_USD: '1.50', DEFAULT_MEMBER_CLIPS_PER_DAY: '0' });
    nowMs = at('2026-11-20T10:00:00Z'); // Friday of the week before
    await ledger.reserve(await job(), member);
    nowMs = at('2026-11-29T23:00:00Z'); // Sunday
    await admin.updateSettings(GUILD, MOD, { budgetPeriod: 'week' });
    await ledger.reserve(await job(), member);
    await ledger.reserve(await job(), member);
    expect((await refused(ledger.reserve(await job(), member))).memberMessage).toContain('for this week');
    nowMs = at('2026-11-30T00:00:00Z'); // Monday
    expect(await ledger.reserve(await job(), member)).toMatchObject({ remainingCents: 75, periodLabel: 'this week' });
  });

  it('makes members wait the cooldown, counting from their last job that was not refunded', async () => {
    const { ledger } = service({ DEFAULT_MEMBER_COOLDOWN_SECONDS: '60' });
    const first = await job();
    await ledger.reserve(first, member);
    nowMs += 10_000;
    const error = await refused(ledger.reserve(await job(), member));
    expect(error.rule).toBe('member_cooldown');
    expect(error.retryAt?.getTime()).toBe(nowMs + 50_000);
    await ledger.refund(first);
    await expect(ledger.reserve(await job(), member)).resolves.toEqual({ costCents: 75, remainingCents: 925, periodLabel: 'this month' });
    // The cooldown now runs from the job just reserved.
    expect((await refused(ledger.reserve(await job(), member))).retryAt?.getTime()).toBe(nowMs + 60_000);
  });

  it('limits jobs at once per member and per server, and frees a slot on commit', async () => {
    const { ledger, admin } = service({ DEFAULT_MEMBER_CONCURRENT_JOBS: '1', DEFAULT_GUILD_CONCURRENT_JOBS: '2' });
    const a = await job();
    await ledger.reserve(a, member);
    expect((await refused(ledger.reserve(await job(), member))).rule).toBe('member_concurrent');
    await ledger.reserve(await job({ user: BOB }), member);
    expect((await refused(ledger.reserve(await job({ user: '300000000000000003' }), member))).rule).toBe('guild_concurrent');
    await ledger.commit(a);
    await expect(ledger.reserve(await job(), member)).resolves.toEqual({ costCents: 75, remainingCents: 775, periodLabel: 'this month' });
    expect((await admin.overview(GUILD)).openJobs).toBe(2);
    expect((await admin.memberUsage(GUILD, ALICE, [])).openJobs).toBe(1);
  });

  it('lets exempt roles past member limits, not past the budget', async () => {
    const { ledger, admin } = service({ DEFAULT_MEMBER_CLIPS_PER_DAY: '1', DEFAULT_GUILD_BUDGET_USD: '2.25' });
    await admin.editList(GUILD, MOD, 'exemptRoleIds', 'add', VIP_ROLE);
    const vip = { roleIds: [VIP_ROLE] };
    await ledger.reserve(await job(), vip);
    await ledger.reserve(await job(), vip);
    await ledger.reserve(await job(), vip);
    expect((await refused(ledger.reserve(await job(), vip))).rule).toBe('guild_budget');
    expect((await admin.memberUsage(GUILD, ALICE, [VIP_ROLE])).exempt).toBe(true);
  });

  it('checks the global daily cap across servers in the same transaction', async () => {
    const { ledger } = service({ GLOBAL_DAILY_BUDGET_USD: '1.50', DEFAULT_MEMBER_CLIPS_PER_DAY: '0' });
    await ledger.reserve(await job(), member);
    await ledger.reserve(await job({ guild: OTHER_GUILD }), member);
    const error = await refused(ledger.reserve(await job({ guild: OTHER_GUILD, user: BOB }), member));
    expect(error.rule).toBe('global_daily_budget');
    expect(error.retryAt?.toISOString()).toBe('2026-11-26T00:00:00.000Z');
  });

  it('refuses servers outside ALLOWED_GUILD_IDS, and rules on resolution, duration and audio', async () => {
    expect((await refused(service({ ALLOWED_GUILD_IDS: OTHER_GUILD }).ledger.reserve(await job(), member))).rule).toBe('guild_not_allowed');
    const { ledger, admin } = service();
    await admin.updateSettings(GUILD, MOD, { allowedResolutions: ['480p'], maxDurationSeconds: 5, audioAllowed: false });
    expect((await refused(ledger.reserve(await job({ resolution: '720p' }), member))).rule).toBe('resolution');
    expect((await refused(ledger.reserve(await job({ resolution: '480p', duration: 10 }), member))).rule).toBe('duration');
    expect((await refused(ledger.reserve(await job({ resolution: '480p', audio: true }), member))).rule).toBe('audio');
    await expect(ledger.reserve(await job({ resolution: '480p', costCents: 25 }), member)).resolves.toMatchObject({ costCents: 25 });
  });

  it("resets a member's clips and cooldown but not the server's spending", async () => {
    const { ledger, admin } = service({ DEFAULT_MEMBER_CLIPS_PER_DAY: '1' });
    await ledger.reserve(await job(), member);
    expect((await refused(ledger.reserve(await job(), member))).rule).toBe('member_daily_clips');
    nowMs += 1000;
    await admin.resetMember(GUILD, MOD, ALICE);
    nowMs += 1000;
    expect((await admin.memberUsage(GUILD, ALICE, [])).clipsToday).toBe(0);
    await ledger.reserve(await job(), member);
    expect((await admin.overview(GUILD)).spentCents).toBe(150);
    const [latest] = await admin.history(GUILD);
    expect(latest).toMatchObject({ actorId: MOD, setting: 'memberReset', newValue: ALICE });
  });

  it('audits every change with old and new values, and writes nothing for a no-op', async () => {
    const { admin } = service();
    const changes = await admin.updateSettings(GUILD, MOD, { budgetCents: 750, budgetPeriod: 'week' });
    expect(changes).toEqual([
      { setting: 'budgetCents', oldValue: null, newValue: 750 },
      { setting: 'budgetPeriod', oldValue: null, newValue: 'week' },
    ]);
    nowMs += 1000;
    expect(await admin.updateSettings(GUILD, MOD, { budgetCents: 750 })).toEqual([]);
    await admin.updateSettings(GUILD, ALICE, { budgetCents: null });
    await admin.editList(GUILD, MOD, 'allowedChannelIds', 'add', CHANNEL);
    const history = await admin.history(GUILD);
    expect(history).toHaveLength(4);
    expect(history[0]).toMatchObject({ setting: 'allowedChannelIds', oldValue: null, newValue: [CHANNEL] });
    expect(history.find((h) => h.actorId === ALICE)).toMatchObject({ setting: 'budgetCents', oldValue: 750, newValue: null });
    expect((await admin.overview(GUILD)).rules.budgetCents).toBe(1000);
    await expect(admin.updateSettings(GUILD, MOD, { budgetCents: 100_001 })).rejects.toThrow(/at most \$1000\.00/);
  });

  it('lists the biggest spenders of the period, net of refunds', async () => {
    const { ledger, admin } = service({ DEFAULT_MEMBER_CLIPS_PER_DAY: '0' });
    const refundedJob = await job({ user: BOB });
    await ledger.reserve(refundedJob, member);
    await ledger.refund(refundedJob);
    await ledger.reserve(await job(), member);
    await ledger.reserve(await job({ costCents: 150, duration: 10 }), member);
    await ledger.reserve(await job({ user: BOB, costCents: 25 }), member);
    const { spenders } = await admin.top(GUILD);
    expect(spenders).toEqual([
      { userId: ALICE, spentCents: 225, clips: 2 },
      { userId: BOB, spentCents: 25, clips: 1 },
    ]);
  });

  it('alerts the mod-log at 80 % and 100 % once per period, and again in the next one', async () => {
    const { ledger, admin } = service({ DEFAULT_GUILD_BUDGET_USD: '3.75', DEFAULT_MEMBER_CLIPS_PER_DAY: '0', DEFAULT_MEMBER_CONCURRENT_JOBS: '0', DEFAULT_GUILD_CONCURRENT_JOBS: '0' });
    await admin.updateSettings(GUILD, MOD, { modLogChannelId: CHANNEL });
    for (let i = 0; i < 3; i += 1) await ledger.reserve(await job(), member);
    expect(alerts).toEqual([]);
    const fourth = await job();
    await ledger.reserve(fourth, member);
    await ledger.idle();
    expect(alerts.map((a) => a.thresholdPercent)).toEqual([80]);
    // Back under 80 % and over it again: no second alert.
    await ledger.refund(fourth);
    await ledger.reserve(await job(), member);
    await ledger.reserve(await job(), member);
    await refused(ledger.reserve(await job(), member));
    await ledger.idle();
    expect(alerts.map((a) => a.thresholdPercent)).toEqual([80, 100]);
    expect(alerts[1]).toMatchObject({ channelId: CHANNEL, spentCents: 375, budgetCents: 375 });
    nowMs = at('2026-12-01T00:00:00Z');
    for (let i = 0; i < 4; i += 1) await ledger.reserve(await job(), member);
    await ledger.idle();
    expect(alerts.map((a) => `${a.period.key}:${a.thresholdPercent}`)).toEqual([
      'month:2026-11:80',
      'month:2026-11:100',
      'month:2026-12:80',
    ]);
  });

  it('does not call the budget used up when only this clip is too dear, and says so once it really is', async () => {
    const { ledger, admin } = service({ DEFAULT_GUILD_BUDGET_USD: '1', DEFAULT_MEMBER_CLIPS_PER_DAY: '0', DEFAULT_MEMBER_CONCURRENT_JOBS: '0', DEFAULT_GUILD_CONCURRENT_JOBS: '0' });
    await admin.updateSettings(GUILD, MOD, { modLogChannelId: CHANNEL });
    // A 10 s 1080p clip ($1.50) does not fit a $1.00 budget; 480p clips ($0.25) still do.
    await refused(ledger.reserve(await job({ costCents: 150, duration: 10 }), member));
    await ledger.idle();
    expect(alerts).toEqual([]);
    for (let i = 0; i < 4; i += 1) await ledger.reserve(await job({ costCents: 25, resolution: '480p' }), member);
    await ledger.idle();
    // 80 % and 100 % reached together: one alert, the one that matters.
    expect(alerts.map((a) => a.thresholdPercent)).toEqual([100]);
    expect(alerts[0]).toMatchObject({ spentCents: 100, budgetCents: 100 });
  });

  it('holds a server to a budget cap the operator lowered after it was set', async () => {
    const generous = service({ MAX_GUILD_BUDGET_USD: '1000' });
    await generous.admin.updateSettings(GUILD, MOD, { budgetCents: 100_000 });
    const capped = service({ MAX_GUILD_BUDGET_USD: '50' });
    expect((await capped.admin.overview(GUILD)).rules.budgetCents).toBe(5_000);
  });
});
