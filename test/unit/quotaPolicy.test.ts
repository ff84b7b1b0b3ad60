import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { QuotaError } from '../../src/errors.js';
import { alertThresholds } from '../../src/quota/budgetAlerts.js';
import { periodWindow } from '../../src/quota/periods.js';
import { checkLimits, checkRequest, columnsFromSettings, effectiveRules, emptySettings, settingsFromRow } from '../../src/quota/policy.js';
import type { QuotaRequest, UsageSnapshot } from '../../src/quota/ruleKit.js';
import { budgetCentsFromDollars, type QuotaRules } from '../../src/quota/rules.js';

const defaults = parseConfig({
  DISCORD_TOKEN: 'a'.repeat(24) + '.bbbbbb.' + 'c'.repeat(27),
  DISCORD_APPLICATION_ID: '123456789012345678',
  FAL_KEY: 'key-id:key-secret',
}).quota.defaults;

const NOW = Date.parse('2026-11-25T12:00:00Z');
const rules = (patch: Partial<QuotaRules> = {}): QuotaRules => ({ ...effectiveRules(emptySettings(), defaults), ...patch });
const request = (patch: Partial<QuotaRequest> = {}): QuotaRequest => ({
  channelId: '100000000000000001',
  parentChannelId: null,
  roleIds: [],
  resolution: '1080p',
  durationSeconds: 5,
  hasAudio: false,
  costCents: 75,
  ...patch,
});
const usage = (patch: Partial<UsageSnapshot> = {}): UsageSnapshot => ({
  memberClipsToday: 0,
  memberLastReservedAt: null,
  memberOpenJobs: 0,
  guildOpenJobs: 0,
  guildSpentCents: 0,
  globalSpentTodayCents: 0,
  ...patch,
});

function refusal(run: () => void): QuotaError {
  try {
    run();
  } catch (error) {
    if (error instanceof QuotaError) return error;
    throw error;
  }
  throw new Error('expected a QuotaError');
}

function limits(r: QuotaRules, u: UsageSnapshot, extra: { exempt?: boolean; costCents?: number; global?: number } = {}) {
  return () =>
    checkLimits({
      rules: r,
      exempt: extra.exempt ?? false,
      usage: u,
      costCents: extra.costCents ?? 75,
      nowMs: NOW,
      period: periodWindow(r.budgetPeriod, NOW),
      day: periodWindow('day', NOW),
      globalDailyBudgetCents: extra.global ?? 5000,
    });
}

describe('effective rules', () => {
  it('are the operator defaults for a server without settings', () => {
    expect(rules()).toMatchObject({
      budgetCents: 1000,
      budgetPeriod: 'month',
      memberClipsPerDay: 5,
      memberConcurrentJobs: 2,
      allowedChannelIds: [],
      allowedRoleIds: [],
    });
  });

  it("take the server's own values over the defaults, and survive a trip through the row", () => {
    const settings = { ...emptySettings(), budgetCents: 0, memberClipsPerDay: 0, allowedResolutions: ['720p', '480p'] as const, audioAllowed: false, allowedRoleIds: ['1', '2'] };
    const row = { guild_id: 'g', created_at: 0, updated_at: 0, ...columnsFromSettings({ ...settings, allowedResolutions: ['720p', '480p'] }) };
    const back = settingsFromRow(row);
    expect(back.allowedResolutions).toEqual(['480p', '720p']);
    const effective = effectiveRules(back, defaults);
    expect(effective.budgetCents).toBe(0);
    expect(effective.memberClipsPerDay).toBe(0);
    expect(effective.audioAllowed).toBe(false);
    expect(effective.allowedRoleIds).toEqual(['1', '2']);
    expect(effective.budgetPeriod).toBe('month');
  });
});

describe('checkRequest', () => {
  it('lets a plain request through under the defaults', () => {
    expect(() => checkRequest(rules(), request())).not.toThrow();
  });

  it('names the channels where /animate works, and accepts their threads', () => {
    const r = rules({ allowedChannelIds: ['200000000000000002'] });
    const error = refusal(() => checkRequest(r, request()));
    expect(error.rule).toBe('channel');
    expect(error.memberMessage).toContain('<#200000000000000002>');
    expect(() => checkRequest(r, request({ parentChannelId: '200000000000000002' }))).not.toThrow();
  });

  it('names the roles that may use it', () => {
    const r = rules({ allowedRoleIds: ['300000000000000003'] });
    const error = refusal(() => checkRequest(r, request({ roleIds: ['999'] })));
    expect(error.rule).toBe('role');
    expect(error.memberMessage).toContain('<@&300000000000000003>');
    expect(() => checkRequest(r, request({ roleIds: ['300000000000000003'] }))).not.toThrow();
  });

  it('refuses a resolution, a duration or audio the server does not allow, saying what is allowed', () => {
    expect(refusal(() => checkRequest(rules({ allowedResolutions: ['480p', '720p'] }), request())).memberMessage).toBe(
      '1080p is not allowed on this server. Choose 480p or 720p.',
    );
    expect(refusal(() => checkRequest(rules({ maxDurationSeconds: 5 }), request({ durationSeconds: 10 }))).rule).toBe('duration');
    expect(refusal(() => checkRequest(rules({ audioAllowed: false }), request({ hasAudio: true }))).rule).toBe('audio');
  });

  it('refuses everything when the budget is $0', () => {
    expect(refusal(() => checkRequest(rules({ budgetCents: 0 }), request())).rule).toBe('budget_disabled');
  });
});

describe('checkLimits', () => {
  it('refuses the job that would go over the budget, saying when it resets', () => {
    const error = refusal(limits(rules({ budgetCents: 1000 }), usage({ guildSpentCents: 975 })));
    expect(error.rule).toBe('guild_budget');
    const resetsAt = Date.parse('2026-12-01T00:00:00Z');
    expect(error.memberMessage).toBe(
      `This server has used its $10.00 budget for this month. Only $0.25 is left and this video costs $0.75. It resets <t:${resetsAt / 1000}:R>.`,
    );
    expect(error.retryAt?.getTime()).toBe(resetsAt);
    // Exactly reaching the budget is allowed.
    expect(limits(rules({ budgetCents: 1050 }), usage({ guildSpentCents: 975 }))).not.toThrow();
  });

  it('counts member limits in order: at once, cooldown, clips per day', () => {
    const r = rules({ memberConcurrentJobs: 1, memberCooldownSeconds: 60, memberClipsPerDay: 3 });
    expect(refusal(limits(r, usage({ memberOpenJobs: 1 }))).rule).toBe('member_concurrent');
    const cooldown = refusal(limits(r, usage({ memberLastReservedAt: NOW - 20_000 })));
    expect(cooldown.rule).toBe('member_cooldown');
    expect(cooldown.memberMessage).toContain(`<t:${(NOW + 40_000) / 1000}:R>`);
    expect(limits(r, usage({ memberLastReservedAt: NOW - 60_000 }))).not.toThrow();
    const daily = refusal(limits(r, usage({ memberClipsToday: 3 })));
    expect(daily.rule).toBe('member_daily_clips');
    expect(daily.memberMessage).toContain(`<t:${Date.parse('2026-11-26T00:00:00Z') / 1000}:R>`);
  });

  it('lets exempt members past member limits but not past the budget', () => {
    const r = rules({ memberClipsPerDay: 1, budgetCents: 100 });
    expect(limits(r, usage({ memberClipsToday: 9 }), { exempt: true })).not.toThrow();
    expect(refusal(limits(r, usage({ guildSpentCents: 50 }), { exempt: true })).rule).toBe('guild_budget');
  });

  it('applies 0 as "no limit" to member and server counts', () => {
    const r = rules({ memberClipsPerDay: 0, memberConcurrentJobs: 0, guildConcurrentJobs: 0, budgetCents: 100_000 });
    expect(limits(r, usage({ memberClipsToday: 500, memberOpenJobs: 50, guildOpenJobs: 50 }))).not.toThrow();
  });

  it('checks the server concurrency and the global daily cap', () => {
    expect(refusal(limits(rules({ guildConcurrentJobs: 2 }), usage({ guildOpenJobs: 2 }))).rule).toBe('guild_concurrent');
    expect(refusal(limits(rules(), usage({ globalSpentTodayCents: 4950 }))).rule).toBe('global_daily_budget');
    expect(refusal(limits(rules(), usage(), { global: 0 })).rule).toBe('global_daily_budget');
  });
});

describe('alertThresholds', () => {
  it('reports 80 % and 100 % once reached, and 100 % when a job was refused for the budget', () => {
    expect(alertThresholds(799, 1000, false)).toEqual([]);
    expect(alertThresholds(800, 1000, false)).toEqual([80]);
    expect(alertThresholds(1000, 1000, false)).toEqual([80, 100]);
    expect(alertThresholds(300, 1000, true)).toEqual([100]);
    expect(alertThresholds(5, 0, true)).toEqual([]);
  });
});

describe('budget amounts typed by moderators', () => {
  it('refuse a fraction of a cent instead of silently setting $0', () => {
    expect(budgetCentsFromDollars(0)).toBe(0);
    expect(budgetCentsFromDollars(19.99)).toBe(1999);
    expect(() => budgetCentsFromDollars(0.004)).toThrow(/at least \$0\.01/);
  });
});
