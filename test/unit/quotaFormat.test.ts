import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { formatSetting, overviewEmbed, renderBudgetAlert } from '../../src/discord/quotaFormat.js';
import { QuotaError } from '../../src/errors.js';
import { checkRequest, effectiveRules } from '../../src/quota/policy.js';
import { QUOTA_SETTINGS, type GuildSettings } from '../../src/quota/rules.js';
import { periodWindow } from '../../src/quota/periods.js';

describe('quota formatting', () => {
  it('renders each setting as a moderator reads it, with null as the default or "no restriction"', () => {
    expect(formatSetting('budgetCents', 750)).toBe('$7.50');
    expect(formatSetting('budgetCents', null)).toBe('default');
    expect(formatSetting('memberClipsPerDay', 0)).toBe('no limit');
    expect(formatSetting('memberCooldownSeconds', 0)).toBe('none');
    expect(formatSetting('memberCooldownSeconds', 600)).toBe('10 min');
    expect(formatSetting('allowedChannelIds', null)).toBe('every channel');
    expect(formatSetting('allowedRoleIds', ['1', '2'])).toBe('<@&1>, <@&2>');
    expect(formatSetting('exemptRoleIds', null)).toBe('nobody');
    expect(formatSetting('modLogChannelId', null)).toBe('off');
    expect(formatSetting('audioAllowed', false)).toBe('not allowed');
  });

  it('writes the 80 % and 100 % alerts with the period and when it resets', () => {
    const period = periodWindow('week', Date.parse('2026-11-25T12:00:00Z'));
    const base = { guildId: '1', channelId: '2', budgetCents: 1000, period };
    expect(renderBudgetAlert({ ...base, thresholdPercent: 80, spentCents: 825 })).toBe(
      `⚠️ /animate has used 82 % of this server’s budget for this week: $8.25 of $10.00. It resets <t:${period.endMs / 1000}:R>.`,
    );
    expect(renderBudgetAlert({ ...base, thresholdPercent: 100, spentCents: 975 })).toMatch(
      /^🛑 \/animate has used up this server’s budget for this week: \$9\.75 of \$10\.00 spent\. New videos are refused until it resets <t:\d+:R>/,
    );
  });
});

describe('long lists', () => {
  const defaults = parseConfig({
    DISCORD_TOKEN: 'x'.repeat(30),
    DISCORD_APPLICATION_ID: '123456789012345678',
    FAL_KEY: 'key-id:secret',
  }).quota.defaults;
  const ids = (base: bigint) => Array.from({ length: 120 }, (_, i) => String(base + BigInt(i)));
  const channels = ids(1_300_000_000_000_000_000n);
  const roles = ids(1_400_000_000_000_000_000n);
  const settings = {
    ...(Object.fromEntries(QUOTA_SETTINGS.map((setting) => [setting, null])) as GuildSettings),
    allowedChannelIds: channels,
    allowedRoleIds: roles,
    exemptRoleIds: roles,
  };
  const rules = effectiveRules(settings, defaults);

  it('keep /quota show within Discord embed field limits', () => {
    const json = overviewEmbed({
      guildId: '1',
      rules,
      settings,
      defaults,
      period: periodWindow('month', Date.UTC(2026, 10, 25)),
      spentCents: 0,
      leftCents: rules.budgetCents,
      defaultClipCents: 75,
      clipsLeft: 13,
      openJobs: 0,
    }).toJSON();
    for (const field of json.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(1024);
    expect(JSON.stringify(json)).toContain('and 110 more');
  });

  it('keep a channel refusal within a 2,000-character message', () => {
    const request = { channelId: '1', parentChannelId: null, roleIds: roles, resolution: '480p', durationSeconds: 5, hasAudio: false, costCents: 25 };
    expect(() => checkRequest(rules, request)).toThrow(QuotaError);
    try {
      checkRequest(rules, request);
    } catch (error) {
      expect((error as QuotaError).memberMessage.length).toBeLessThan(2000);
      expect((error as QuotaError).memberMessage).toContain('and 110 more');
    }
  });
});
