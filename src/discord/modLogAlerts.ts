import { Routes, type REST } from 'discord.js';
import type { AlertSink } from '../quota/alerts.js';
import { renderBudgetAlert } from './quotaFormat.js';

/**
 * Budget alerts as messages in the server's mod-log channel, sent with the bot
 * token. Nothing in them may ping (PROTOCOLS.md §3: allowed_mentions).
 */
export function createModLogAlerts(rest: REST): AlertSink {
  return {
    async budgetAlert(alert) {
      await rest.post(Routes.channelMessages(alert.channelId), {
        body: { content: renderBudgetAlert(alert), allowed_mentions: { parse: [] } },
      });
    },
  };
}
