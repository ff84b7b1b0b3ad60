import type { ChatInputCommandInteraction } from 'discord.js';
import { sleep } from '../src/util/sleep.js';

/** What the lookups may take at most: the reply (with its charts) must still leave within Discord's 3 s. */
const LOOKUP_BUDGET_MS = 800;

/**
 * The names members know each other by, for a chart: the server nickname or
 * display name from discord.js's caches, else the user fetched from Discord,
 * as many as answer within the budget. Ids left out are for the caller to label.
 */
export async function memberNames(
  interaction: ChatInputCommandInteraction,
  userIds: readonly string[],
  budgetMs = LOOKUP_BUDGET_MS,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const missing: string[] = [];
  for (const userId of userIds) {
    const cached = interaction.guild?.members.cache.get(userId)?.displayName ?? interaction.client.users.cache.get(userId)?.displayName;
    if (cached) names.set(userId, cached);
    else missing.push(userId);
  }
  if (missing.length === 0) return names;
  const lookups = Promise.allSettled(
    missing.map(async (userId) => {
      const user = await interaction.client.users.fetch(userId);
      names.set(userId, user.displayName);
    }),
  );
  const timeout = new AbortController();
  await Promise.race([lookups, sleep(budgetMs, timeout.signal)]);
  timeout.abort();
  // A copy: lookups that answer late must not change what the caller is drawing.
  return new Map(names);
}
