import { describe, expect, it } from 'vitest';
import { formatSetting, renderBudgetAlert } from '../../src/discord/quotaFormat.js';
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
