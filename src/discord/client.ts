import { Client, GatewayIntentBits, Options, Partials, type ClientOptions } from 'discord.js';
import type { Config, ShardPlan } from '../config/config.js';

/**
 * The discord.js client. Only the Guilds intent: slash commands need nothing
 * else, and no privileged intents means nothing to approve in the portal.
 * `rest.api` lets the same code talk to Discord or to a local fake.
 */
export function createDiscordClient(config: Config['discord']): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    // Lets discord.js keep the channel an interaction carries even when it is not
    // cached (a thread the bot never joined), so its parent is known to the quota rules.
    partials: [Partials.Channel],
    rest: { api: config.apiBaseUrl, cdn: config.cdnBaseUrl },
    allowedMentions: { parse: [] },
    // The bot reads no message history and needs no member list: interactions
    // carry what it uses. Bounded caches keep months of uptime flat.
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      UserManager: { maxSize: 1_000, keepOverLimit: (user) => user.id === user.client.user.id },
      GuildMemberManager: { maxSize: 200, keepOverLimit: (member) => member.id === member.client.user.id },
    }),
    ...shardOptions(config.sharding),
  });
}

/**
 * The shards this process connects. Unset settings add nothing, so discord.js
 * keeps its own default (and still reads SHARDS / SHARD_COUNT itself).
 */
function shardOptions(plan: ShardPlan): Pick<ClientOptions, 'shards' | 'shardCount'> {
  if (plan.kind !== 'shards') return {};
  return { shards: [...plan.shardIds], shardCount: plan.shardCount };
}
