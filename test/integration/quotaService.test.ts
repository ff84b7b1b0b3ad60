import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { QuotaError } from '../../src/errors.js';
import { JobRepository } from '../../src/jobs/jobRepository.js';
import type { AlertSink, BudgetAlert } from '../../src/quota/alerts.js';
import { GuildQuotaService } from '../../src/quota/quotaService.js';
import type { Store } from '../../src/store/database.js';
import type { JobRow } from '../../src/store/schema.js';
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

describe.each(ENGINES)('GuildQuotaService on %s', (engine) => {
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

  function service(env: Record<string, string> = {}): GuildQuotaService {
    const sink: AlertSink = { budgetAlert: (alert) => (alerts.push(alert), Promise.resolve()) };
    // Only the rules a test names apply: counts are unlimited unless it sets them.
    const room = { DEFAULT_MEMBER_CLIPS_PER_DAY: '0', DEFAULT_MEMBER_CONCURRENT_JOBS: '0', DEFAULT_GUILD_CONCURRENT_JOBS: '0' };
    return new GuildQuotaService({ store, config: configWith({ ...room, ...env }), alerts: sink, logger: pino({ level: 'silent' }), now: () => nowMs });
  }

  async function job(options: { user?: string; guild?: string; costCents?: number; resolution?: string; duration?: number; audio?: boolean } = {}): Promise<JobRow> {
    return jobs.create({
      id: randomUUID(),
      guild_id: options.guild ?? GUILD,
      channel_id: CHANNEL,
      user_id: options.user ?? ALICE,
      application_id: '123456789012345678',
      interaction_id: '1',
      interaction_token: 'token',
      interaction_expires_at: nowMs + 900_000,
      attachment_size_limit: 10 * 1024 * 1024,
      app_permissions: null,
      prompt: 'p',
      negative_prompt: null,
      resolution: options.resolution ?? '1080p',
      duration_seconds: options.duration ?? 5,
      seed: null,
      prompt_expansion: 1,
      image_source_url: 'http://cdn.invalid/x.png',
      audio_source_url: options.audio ? 'http://cdn.invalid/a.mp3' : null,
      image_url: null,
      audio_url: null,
      cost_cents: options.costCents ?? 75,
    });
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
    const quota = service();
    const first = await job();
    expect(await quota.reserve(first, member)).toEqual({ costCents: 75, remainingCents: 925, periodLabel: 'this month' });
    await quota.commit(first);
    await quota.commit(first);
    expect((await quota.movements(first.id)).map((m) => m.kind)).toEqual(['reserve', 'commit']);
    expect((await quota.overview(GUILD)).spentCents).toBe(75);
  });

  it('refunds exactly once however many times the failure is reported, and never after a commit', async () => {
    const quota = service();
    const failed = await job();
    await quota.reserve(failed, member);
    await Promise.all(Array.from({ length: 5 }, () => quota.refund(failed)));
    await quota.refund(failed);
    await quota.commit(failed);
    const movements = await quota.movements(failed.id);
    expect(movements.map((m) => m.kind)).toEqual(['reserve', 'refund']);
    expect(movements[1]?.period_key).toBe(movements[0]?.period_key);
    expect((await quota.overview(GUILD)).spentCents).toBe(0);
    expect((await quota.memberUsage(GUILD, ALICE, [])).clipsToday).toBe(0);

    const delivered = await job();
    await quota.reserve(delivered, member);
    await quota.commit(delivered);
    await quota.refund(delivered);
    expect((await quota.movements(delivered.id)).map((m) => m.kind)).toEqual(['reserve', 'commit']);

    const neverReserved = await job();
    await quota.refund(neverReserved);
    expect(await quota.movements(neverReserved.id)).toEqual([]);
  });

  it('the database refuses a second refund row for a job', async () => {
    const quota = service();
    const j = await job();
    await quota.reserve(j, member);
    await quota.refund(j);
    const [reserve] = await quota.movements(j.id);
    const insertAgain = store.db
      .insertInto('quota_ledger')
      .values({ ...reserve!, id: randomUUID(), kind: 'refund' })
      .execute();
    await expect(insertAgain).rejects.toThrow(/unique/i);
  });

  it('gives exactly the budget to 50 reservations at once', async () => {
    const quota = service({ DEFAULT_GUILD_BUDGET_USD: '7.50', DEFAULT_MEMBER_CLIPS_PER_DAY: '0', DEFAULT_GUILD_CONCURRENT_JOBS: '0' });
    const many = await Promise.all(Array.from({ length: 50 }, (_, i) => job({ user: String(500000000000000000n + BigInt(i)) })));
    const results = await Promise.allSettled(many.map((j) => quota.reserve(j, member)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const no = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(10);
    expect(no).toHaveLength(40);
    expect(no.every((r) => r.reason instanceof QuotaError && r.reason.rule === 'guild_budget')).toBe(true);
    const overview = await quota.overview(GUILD);
    expect(overview.spentCents).toBe(750);
    expect(overview.leftCents).toBe(0);
  });

  it('counts clips per member per UTC day and rolls over at midnight', async () => {
    const quota = service({ DEFAULT_MEMBER_CLIPS_PER_DAY: '2' });
    nowMs = at('2026-11-25T23:59:00Z');
    await quota.reserve(await job(), member);
    await quota.reserve(await job(), member);
    const error = await refused(quota.reserve(await job(), member));
    expect(error.rule).toBe('member_daily_clips');
    expect(error.retryAt?.toISOString()).toBe('2026-11-26T00:00:00.000Z');
    expect(error.memberMessage).toContain(`<t:${at('2026-11-26T00:00:00Z') / 1000}:R>`);
    // Another member is not affected.
    await quota.reserve(await job({ user: BOB }), member);
    nowMs = at('2026-11-26T00:00:00Z');
    await expect(quota.reserve(await job(), member)).resolves.toMatchObject({ costCents: 75 });
  });

  it('rolls a monthly budget over on the 1st at 00:00 UTC', async () => {
    const quota = service({ DEFAULT_GUILD_BUDGET_USD: '1.50', DEFAULT_MEMBER_CLIPS_PER_DAY: '0' });
    nowMs = at('2026-11-30T23:58:00Z');
    await quota.reserve(await job(), member);
    expect(await quota.reserve(await job(), member)).toMatchObject({ remainingCents: 0, periodLabel: 'this month' });
    const error = await refused(quota.reserve(await job(), member));
    expect(error.rule).toBe('guild_budget');
    expect(error.memberMessage).toBe(`This server has used its $1.50 budget for this month. It resets <t:${at('2026-12-01T00:00:00Z') / 1000}:R>.`);
    nowMs = at('2026-12-01T00:00:00Z');
    expect(await quota.reserve(await job(), member)).toEqual({ costCents: 75, remainingCents: 75, periodLabel: 'this month' });
    expect((await quota.overview(GUILD)).spentCents).toBe(75);
  });

  it('rolls a weekly budget over on Monday 00:00 UTC, counting only this week after a switch from monthly', async () => {
    const quota = service({ DEFAULT_GUILD_BUDGET_USD: '1.50', DEFAULT_MEMBER_CLIPS_PER_DAY: '0' });
    nowMs = at('2026-11-20T10:00:00Z'); // Friday of the week before
    await quota.reserve(await job(), member);
    nowMs = at('2026-11-29T23:00:00Z'); // Sunday
    await quota.updateSettings(GUILD, MOD, { budgetPeriod: 'week' });
    await quota.reserve(await job(), member);
    await quota.reserve(await job(), member);
    expect((await refused(quota.reserve(await job(), member))).memberMessage).toContain('for this week');
    nowMs = at('2026-11-30T00:00:00Z'); // Monday
    expect(await quota.reserve(await job(), member)).toMatchObject({ remainingCents: 75, periodLabel: 'this week' });
  });

  it('makes members wait the cooldown, counting from their last job that was not refunded', async () => {
    const quota = service({ DEFAULT_MEMBER_COOLDOWN_SECONDS: '60' });
    const first = await job();
    await quota.reserve(first, member);
    nowMs += 10_000;
    const error = await refused(quota.reserve(await job(), member));
    expect(error.rule).toBe('member_cooldown');
    expect(error.retryAt?.getTime()).toBe(nowMs + 50_000);
    await quota.refund(first);
    await expect(quota.reserve(await job(), member)).resolves.toBeDefined();
  });

  it('limits jobs at once per member and per server, and frees a slot on commit', async () => {
    const quota = service({ DEFAULT_MEMBER_CONCURRENT_JOBS: '1', DEFAULT_GUILD_CONCURRENT_JOBS: '2' });
    const a = await job();
    await quota.reserve(a, member);
    expect((await refused(quota.reserve(await job(), member))).rule).toBe('member_concurrent');
    await quota.reserve(await job({ user: BOB }), member);
    expect((await refused(quota.reserve(await job({ user: '300000000000000003' }), member))).rule).toBe('guild_concurrent');
    await quota.commit(a);
    await expect(quota.reserve(await job(), member)).resolves.toBeDefined();
  });

  it('lets exempt roles past member limits, not past the budget', async () => {
    const quota = service({ DEFAULT_MEMBER_CLIPS_PER_DAY: '1', DEFAULT_GUILD_BUDGET_USD: '2.25' });
    await quota.editList(GUILD, MOD, 'exemptRoleIds', 'add', VIP_ROLE);
    const vip = { roleIds: [VIP_ROLE] };
    await quota.reserve(await job(), vip);
    await quota.reserve(await job(), vip);
    await quota.reserve(await job(), vip);
    expect((await refused(quota.reserve(await job(), vip))).rule).toBe('guild_budget');
    expect((await quota.memberUsage(GUILD, ALICE, [VIP_ROLE])).exempt).toBe(true);
  });

  it('checks the global daily cap across servers in the same transaction', async () => {
    const quota = service({ GLOBAL_DAILY_BUDGET_USD: '1.50', DEFAULT_MEMBER_CLIPS_PER_DAY: '0' });
    await quota.reserve(await job(), member);
    await quota.reserve(await job({ guild: OTHER_GUILD }), member);
    const error = await refused(quota.reserve(await job({ guild: OTHER_GUILD, user: BOB }), member));
    expect(error.rule).toBe('global_daily_budget');
    expect(error.retryAt?.toISOString()).toBe('2026-11-26T00:00:00.000Z');
  });

  it('refuses servers outside ALLOWED_GUILD_IDS, and rules on resolution, duration and audio', async () => {
    expect((await refused(service({ ALLOWED_GUILD_IDS: OTHER_GUILD }).reserve(await job(), member))).rule).toBe('guild_not_allowed');
    const quota = service();
    await quota.updateSettings(GUILD, MOD, { allowedResolutions: ['480p'], maxDurationSeconds: 5, audioAllowed: false });
    expect((await refused(quota.reserve(await job({ resolution: '720p' }), member))).rule).toBe('resolution');
    expect((await refused(quota.reserve(await job({ resolution: '480p', duration: 10 }), member))).rule).toBe('duration');
    expect((await refused(quota.reserve(await job({ resolution: '480p', audio: true }), member))).rule).toBe('audio');
    await expect(quota.reserve(await job({ resolution: '480p', costCents: 25 }), member)).resolves.toMatchObject({ costCents: 25 });
  });

  it("resets a member's clips and cooldown but not the server's spending", async () => {
    const quota = service({ DEFAULT_MEMBER_CLIPS_PER_DAY: '1' });
    await quota.reserve(await job(), member);
    expect((await refused(quota.reserve(await job(), member))).rule).toBe('member_daily_clips');
    nowMs += 1000;
    await quota.resetMember(GUILD, MOD, ALICE);
    nowMs += 1000;
    expect((await quota.memberUsage(GUILD, ALICE, [])).clipsToday).toBe(0);
    await quota.reserve(await job(), member);
    expect((await quota.overview(GUILD)).spentCents).toBe(150);
    const [latest] = await quota.history(GUILD);
    expect(latest).toMatchObject({ actorId: MOD, setting: 'memberReset', newValue: ALICE });
  });

  it('audits every change with old and new values, and writes nothing for a no-op', async () => {
    const quota = service();
    const changes = await quota.updateSettings(GUILD, MOD, { budgetCents: 750, budgetPeriod: 'week' });
    expect(changes).toEqual([
      { setting: 'budgetCents', oldValue: null, newValue: 750 },
      { setting: 'budgetPeriod', oldValue: null, newValue: 'week' },
    ]);
    nowMs += 1000;
    expect(await quota.updateSettings(GUILD, MOD, { budgetCents: 750 })).toEqual([]);
    await quota.updateSettings(GUILD, ALICE, { budgetCents: null });
    await quota.editList(GUILD, MOD, 'allowedChannelIds', 'add', CHANNEL);
    const history = await quota.history(GUILD);
    expect(history).toHaveLength(4);
    expect(history[0]).toMatchObject({ setting: 'allowedChannelIds', oldValue: null, newValue: [CHANNEL] });
    expect(history.find((h) => h.actorId === ALICE)).toMatchObject({ setting: 'budgetCents', oldValue: 750, newValue: null });
    expect((await quota.overview(GUILD)).rules.budgetCents).toBe(1000);
    await expect(quota.updateSettings(GUILD, MOD, { budgetCents: 100_001 })).rejects.toThrow(/at most \$1000\.00/);
  });

  it('lists the biggest spenders of the period, net of refunds', async () => {
    const quota = service({ DEFAULT_MEMBER_CLIPS_PER_DAY: '0' });
    const refundedJob = await job({ user: BOB });
    await quota.reserve(refundedJob, member);
    await quota.refund(refundedJob);
    await quota.reserve(await job(), member);
    await quota.reserve(await job({ costCents: 150, duration: 10 }), member);
    await quota.reserve(await job({ user: BOB, costCents: 25 }), member);
    const { spenders } = await quota.top(GUILD);
    expect(spenders).toEqual([
      { userId: ALICE, spentCents: 225, clips: 2 },
      { userId: BOB, spentCents: 25, clips: 1 },
    ]);
  });

  it('alerts the mod-log at 80 % and 100 % once per period, and again in the next one', async () => {
    const quota = service({ DEFAULT_GUILD_BUDGET_USD: '3.75', DEFAULT_MEMBER_CLIPS_PER_DAY: '0', DEFAULT_MEMBER_CONCURRENT_JOBS: '0', DEFAULT_GUILD_CONCURRENT_JOBS: '0' });
    await quota.updateSettings(GUILD, MOD, { modLogChannelId: CHANNEL });
    for (let i = 0; i < 3; i += 1) await quota.reserve(await job(), member);
    expect(alerts).toEqual([]);
    const fourth = await job();
    await quota.reserve(fourth, member);
    await quota.idle();
    expect(alerts.map((a) => a.thresholdPercent)).toEqual([80]);
    // Back under 80 % and over it again: no second alert.
    await quota.refund(fourth);
    await quota.reserve(await job(), member);
    await quota.reserve(await job(), member);
    await refused(quota.reserve(await job(), member));
    await quota.idle();
    expect(alerts.map((a) => a.thresholdPercent)).toEqual([80, 100]);
    expect(alerts[1]).toMatchObject({ channelId: CHANNEL, spentCents: 375, budgetCents: 375 });
    nowMs = at('2026-12-01T00:00:00Z');
    for (let i = 0; i < 4; i += 1) await quota.reserve(await job(), member);
    await quota.idle();
    expect(alerts.map((a) => `${a.period.key}:${a.thresholdPercent}`)).toEqual([
      'month:2026-11:80',
      'month:2026-11:100',
      'month:2026-12:80',
    ]);
  });

  it('does not call the budget used up when only this clip is too dear, and says so once it really is', async () => {
    const quota = service({ DEFAULT_GUILD_BUDGET_USD: '1', DEFAULT_MEMBER_CLIPS_PER_DAY: '0', DEFAULT_MEMBER_CONCURRENT_JOBS: '0', DEFAULT_GUILD_CONCURRENT_JOBS: '0' });
    await quota.updateSettings(GUILD, MOD, { modLogChannelId: CHANNEL });
    // A 10 s 1080p clip ($1.50) does not fit a $1.00 budget; 480p clips ($0.25) still do.
    await refused(quota.reserve(await job({ costCents: 150, duration: 10 }), member));
    await quota.idle();
    expect(alerts).toEqual([]);
    for (let i = 0; i < 4; i += 1) await quota.reserve(await job({ costCents: 25, resolution: '480p' }), member);
    await quota.idle();
    // 80 % and 100 % reached together: one alert, the one that matters.
    expect(alerts.map((a) => a.thresholdPercent)).toEqual([100]);
    expect(alerts[0]).toMatchObject({ spentCents: 100, budgetCents: 100 });
  });

  it('holds a server to a budget cap the operator lowered after it was set', async () => {
    const generous = service({ MAX_GUILD_BUDGET_USD: '1000' });
    await generous.updateSettings(GUILD, MOD, { budgetCents: 100_000 });
    const capped = service({ MAX_GUILD_BUDGET_USD: '50' });
    expect((await capped.overview(GUILD)).rules.budgetCents).toBe(5_000);
  });
});
