import { Client, GatewayIntentBits, Options } from 'discord.js';
import type { Config } from '../config/config.js';

/**
 * The discord.js client. Only the Guilds intent: slash commands need nothing
 * else, and no privileged intents means nothing to approve in the portal.
 * `rest.api` lets the same code talk to Discord or to a local fake.
 */
export function createDiscordClient(config: Config['discord']): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: config.apiBaseUrl, cdn: config.cdnBaseUrl },
    allowedMentions: { parse: [] },
    // The bot reads no message history: keep the caches small for long uptimes.
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
  });
}
