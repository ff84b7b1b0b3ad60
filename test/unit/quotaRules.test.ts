import { describe, expect, it } from 'vitest';
import { quota } from '../../commands/quota.js';
import { parseConfig } from '../../src/config/config.js';
import { formatSetting, settingName } from '../../src/discord/quotaFormat.js';
import { InputError } from '../../src/errors.js';
import { columnsFromSettings, effectiveRules, emptySettings, normalisePatch, settingsFromRow, validatePatch } from '../../src/quota/policy.js';
import {
  LIMIT_CHECK_ORDER,
  OPERATOR_DEFAULTS_ENV,
  OPERATOR_SETTINGS,
  QUOTA_SETTINGS,
  REQUEST_CHECK_ORDER,
  RULES,
  UNSET_CHOICES,
  declarationOf,
  type GuildSettings,
  type QuotaRules,
} from '../../src/quota/rules.js';

const requiredEnv = {
  DISCORD_TOKEN: 'a'.repeat(24) + '.bbbbbb.' + 'c'.repeat(27),
  DISCORD_APPLICATION_ID: '123456789012345678',
  FAL_KEY: 'key-id:key-secret',
};

/** A value other than the default for every rule (typed: a new rule must add one). */
const SAMPLES: QuotaRules = {
  budgetCents: 750,
  budgetPeriod: 'week',
  memberClipsPerDay: 3,
  memberCooldownSeconds: 600,
  memberConcurrentJobs: 1,
  allowedResolutions: ['480p', '720p'],
  maxDurationSeconds: 5,
  audioAllowed: false,
  guildConcurrentJobs: 0,
  allowedChannelIds: ['200000000000000001', '200000000000000002'],
  allowedRoleIds: ['300000000000000001'],
  exemptRoleIds: ['300000000000000002'],
  modLogChannelId: '200000000000000003',
};

const caps = { maxGuildBudgetCents: 100_000 };

describe('quota rule declarations', () => {
  it('give every rule a default, a column, an unset choice and a label', () => {
    for (const setting of QUOTA_SETTINGS) {
      const declaration = declarationOf(setting);
      expect(declaration.default.value, setting).not.toBeUndefined();
      expect(declaration.column.name, setting).toMatch(/^[a-z_]+$/);
      expect(UNSET_CHOICES.get(declaration.unset), setting).toContain(setting);
      expect(declaration.show.label.length, setting).toBeGreaterThan(0);
    }
    expect(new Set(QUOTA_SETTINGS.map((setting) => declarationOf(setting).column.name)).size).toBe(QUOTA_SETTINGS.length);
  });

  it('parse each operator default from .env, giving the declared default when unset and refusing nonsense', () => {
    expect(Object.keys(OPERATOR_DEFAULTS_ENV)).toEqual([
      'DEFAULT_GUILD_BUDGET_USD',
      'DEFAULT_GUILD_BUDGET_PERIOD',
      'DEFAULT_MEMBER_CLIPS_PER_DAY',
      'DEFAULT_MEMBER_COOLDOWN_SECONDS',
      'DEFAULT_MEMBER_CONCURRENT_JOBS',
      'DEFAULT_ALLOWED_RESOLUTIONS',
      'DEFAULT_MAX_DURATION_SECONDS',
      'DEFAULT_AUDIO_ALLOWED',
      'DEFAULT_GUILD_CONCURRENT_JOBS',
    ]);
    for (const setting of OPERATOR_SETTINGS) {
      const { default: operatorDefault } = declarationOf(setting);
      if (operatorDefault.from !== 'env') throw new Error(`${setting} should have a .env setting`);
      expect(operatorDefault.parse.parse(undefined), setting).toEqual(operatorDefault.value);
      expect(operatorDefault.parse.safeParse('nonsense').success, setting).toBe(false);
    }
  });

  it('have the same defaults as the parsed config', () => {
    const defaults = Object.fromEntries(OPERATOR_SETTINGS.map((setting) => [setting, declarationOf(setting).default.value]));
    expect(parseConfig(requiredEnv).quota.defaults).toEqual(defaults);
  });

  it('give the rules without an operator setting no restriction by default', () => {
    const rules = effectiveRules(emptySettings(), parseConfig(requiredEnv).quota.defaults);
    expect(rules).toMatchObject({ allowedChannelIds: [], allowedRoleIds: [], exemptRoleIds: [], modLogChannelId: null });
  });

  it('show each value, and an unset one as the default or as what "none" means for it', () => {
    for (const setting of QUOTA_SETTINGS) {
      for (const value of [SAMPLES[setting], declarationOf(setting).default.value]) {
        expect(formatSetting(setting, value), setting).not.toMatch(/undefined|null|\[object|^$/);
      }
    }
    const unset = Object.fromEntries(QUOTA_SETTINGS.map((setting) => [setting, formatSetting(setting, null)]));
    expect(unset).toEqual({
      budgetCents: 'default',
      budgetPeriod: 'default',
      memberClipsPerDay: 'default',
      memberCooldownSeconds: 'default',
      memberConcurrentJobs: 'default',
      allowedResolutions: 'default',
      maxDurationSeconds: 'default',
      audioAllowed: 'default',
      guildConcurrentJobs: 'default',
      allowedChannelIds: 'every channel',
      allowedRoleIds: 'everyone',
      exemptRoleIds: 'nobody',
      modLogChannelId: 'off',
    });
    expect(settingName('memberClipsPerDay')).toBe('clips per member per day');
    // An audit row of a setting that no longer exists still reads.
    expect(settingName('retiredSetting')).toBe('retiredSetting');
    expect(formatSetting('retiredSetting', 42)).toBe('42');
  });

  it('keep every value through its column and back', () => {
    const samples = SAMPLES as GuildSettings;
    const row = { guild_id: 'g', created_at: 0, updated_at: 0, ...columnsFromSettings(samples) };
    expect(settingsFromRow(row)).toEqual(SAMPLES);
    const empty = { guild_id: 'g', created_at: 0, updated_at: 0, ...columnsFromSettings(emptySettings()) };
    expect(Object.values(columnsFromSettings(emptySettings())).every((column) => column === null)).toBe(true);
    expect(settingsFromRow(empty)).toEqual(emptySettings());
  });

  it("accept every sample and default a moderator may set, and refuse what the operator's limits forbid", () => {
    for (const setting of QUOTA_SETTINGS) {
      expect(() => validatePatch({ [setting]: SAMPLES[setting] }, caps), setting).not.toThrow();
      expect(() => validatePatch({ [setting]: declarationOf(setting).default.value }, caps), setting).not.toThrow();
    }
    const refusals: Array<[Partial<GuildSettings>, RegExp]> = [
      [{ budgetCents: 100_001 }, /at most \$1000\.00 per period/],
      [{ budgetCents: -1 }, /0 or more dollars/],
      [{ memberClipsPerDay: 1_001 }, /whole numbers from 0 \(no limit\) to 1000/],
      [{ guildConcurrentJobs: 2.5 }, /whole numbers/],
      [{ memberCooldownSeconds: 86_401 }, /from 0 \(none\) to 86400 seconds/],
      [{ allowedResolutions: [] }, /at least one resolution/],
    ];
    for (const [patch, message] of refusals) expect(() => validatePatch(patch, caps)).toThrow(message);
  });

  it('keep lists in one form: no duplicates, sorted resolutions, an empty list meaning no restriction', () => {
    expect(normalisePatch({ allowedRoleIds: ['1', '1', '2'], exemptRoleIds: [], allowedResolutions: ['1080p', '480p'], modLogChannelId: null })).toEqual({
      allowedRoleIds: ['1', '2'],
      exemptRoleIds: null,
      allowedResolutions: ['480p', '1080p'],
      modLogChannelId: null,
    });
  });

  it('turn /quota options into values, refusing what cannot be meant', () => {
    const { budgetCents, budgetPeriod, allowedResolutions, maxDurationSeconds } = RULES;
    expect(budgetCents.input.toValue(7.5)).toBe(750);
    expect(budgetPeriod.input.toValue('week')).toBe('week');
    expect(() => budgetPeriod.input.toValue('year')).toThrow(InputError);
    expect(allowedResolutions.input.toValue('480p,720p')).toEqual(['480p', '720p']);
    expect(() => allowedResolutions.input.toValue('4k')).toThrow('Choose which resolutions to allow.');
    expect(() => maxDurationSeconds.input.toValue(7)).toThrow('The longest video can be 5 or 10 seconds.');
  });

  it('order every check, each once', () => {
    const withRequestCheck = QUOTA_SETTINGS.filter((setting) => declarationOf(setting).checkRequest);
    const withLimit = QUOTA_SETTINGS.filter((setting) => declarationOf(setting).limit);
    expect([...REQUEST_CHECK_ORDER].sort()).toEqual([...withRequestCheck].sort());
    expect([...LIMIT_CHECK_ORDER].sort()).toEqual([...withLimit].sort());
  });
});

describe('/quota built from the declarations', () => {
  const json = quota.data.toJSON();
  const subcommand = (name: string) => json.options?.find((option) => option.name === name) as { options?: Array<{ name: string; required?: boolean; min_value?: number; max_value?: number }> };
  const optionNames = (name: string) => (subcommand(name).options ?? []).map((option) => option.name);

  it('has its subcommands in order, each rule an option of the subcommand it names', () => {
    expect(json.options?.map((option) => option.name)).toEqual(['show', 'budget', 'members', 'limits', 'channels', 'roles', 'exempt', 'modlog', 'reset', 'history', 'top', 'unset']);
    expect(optionNames('budget')).toEqual(['amount', 'period']);
    expect(optionNames('members')).toEqual(['clips_per_day', 'cooldown_seconds', 'concurrent']);
    expect(optionNames('limits')).toEqual(['resolutions', 'max_duration', 'audio', 'server_concurrent']);
    expect(optionNames('channels')).toEqual(['action', 'channel']);
    expect(optionNames('exempt')).toEqual(['action', 'role']);
    expect(optionNames('modlog')).toEqual(['channel']);
    expect(subcommand('budget').options?.[0]).toMatchObject({ required: true, min_value: 0, max_value: 100_000 });
    expect(subcommand('members').options?.[1]).toMatchObject({ min_value: 0, max_value: 86_400 });
  });

  it('offers every unset choice', () => {
    expect([...UNSET_CHOICES.keys()]).toEqual([
      'budget',
      'clips_per_day',
      'cooldown_seconds',
      'concurrent',
      'resolutions',
      'max_duration',
      'audio',
      'server_concurrent',
      'channels',
      'roles',
      'exempt',
      'modlog',
      'all',
    ]);
    expect(UNSET_CHOICES.get('budget')).toEqual(['budgetCents', 'budgetPeriod']);
    expect(UNSET_CHOICES.get('all')).toEqual(QUOTA_SETTINGS);
  });
});
