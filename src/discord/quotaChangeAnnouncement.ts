import { Routes, type REST } from 'discord.js';
import type { QuotaOverview, SettingChange } from '../quota/quotaTypes.js';
import { changesEmbed } from './quotaFormat.js';

/**
 * A quota change made outside Discord, told to the server's mod-log so the
 * other moderators see it where they work: the same lines a /quota change
 * answers with, who made it and where. Mentions render as names and ping
 * nobody.
 */
export interface QuotaChangeAnnouncement {
  channelId: string;
  actorId: string;
  changes: readonly SettingChange[];
  /** The server's rules and spending after the change. */
  overview: QuotaOverview;
  via: 'dashboard';
}

export async function announceQuotaChange(rest: REST, announcement: QuotaChangeAnnouncement): Promise<void> {
  const embed = changesEmbed(announcement.changes, announcement.overview)
    .setTitle(`Quota updated via the ${announcement.via}`)
    .setFooter({ text: 'Moderators change these with /quota or on the dashboard; see /quota history.' });
  await rest.post(Routes.channelMessages(announcement.channelId), {
    body: {
      content: `<@${announcement.actorId}> changed this server’s /animate quotas on the ${announcement.via}:`,
      embeds: [embed.toJSON()],
      allowed_mentions: { parse: [] },
    },
  });
}
