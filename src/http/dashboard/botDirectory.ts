import { ChannelType, DiscordAPIError, RESTJSONErrorCodes, Routes, makeURLSearchParams, type REST } from 'discord.js';
import type { ChannelKind } from '../../quota/ruleKit.js';
import type { Clock } from '../../util/clock.js';
import { TtlCache } from '../../util/ttlCache.js';
import { DiscordUnavailable } from './discordOAuth.js';

/**
 * What the dashboard asks Discord with the bot's own token: which servers the
 * bot is in, a member's roles (quota-admin roles make moderators) and name,
 * and a server's channels and roles for the settings form. Answers are kept
 * briefly (30 s; names 10 min) so a page of fifty rows asks once, while a
 * role taken away still counts within half a minute.
 */

export interface GuildChannel {
  id: string;
  name: string;
  /** The kinds the quota rules name; anything else (categories, threads) is 'other'. */
  kind: ChannelKind | 'other';
  position: number;
}

export interface GuildRole {
  id: string;
  name: string;
  position: number;
  /** A bot's or an integration's own role: nobody can be given it. */
  managed: boolean;
}

export interface GuildMember {
  roleIds: string[];
  name: string;
}

export const ACCESS_CACHE_MS = 30_000;
const NAME_CACHE_MS = 10 * 60_000;
const GUILDS_PAGE = 200;
const MAX_GUILD_PAGES = 50;

const KINDS: Partial<Record<number, ChannelKind>> = {
  [ChannelType.GuildText]: 'text',
  [ChannelType.GuildAnnouncement]: 'announcement',
  [ChannelType.GuildForum]: 'forum',
  [ChannelType.GuildVoice]: 'voice',
};

interface RawUser {
  id: string;
  username: string;
  global_name?: string | null;
}

interface RawMember {
  roles?: string[];
  nick?: string | null;
  user?: RawUser;
}

export class BotDirectory {
  private readonly botGuilds: TtlCache<ReadonlySet<string>>;
  private readonly members: TtlCache<GuildMember | null>;
  private readonly names: TtlCache<string | null>;
  private readonly channelLists: TtlCache<GuildChannel[]>;
  private readonly roleLists: TtlCache<GuildRole[]>;

  constructor(
    private readonly rest: REST,
    now: Clock,
  ) {
    this.botGuilds = new TtlCache({ ttlMs: ACCESS_CACHE_MS, maxEntries: 1, now });
    this.members = new TtlCache({ ttlMs: ACCESS_CACHE_MS, maxEntries: 5_000, now });
    this.names = new TtlCache({ ttlMs: NAME_CACHE_MS, maxEntries: 20_000, now });
    this.channelLists = new TtlCache({ ttlMs: ACCESS_CACHE_MS, maxEntries: 500, now });
    this.roleLists = new TtlCache({ ttlMs: ACCESS_CACHE_MS, maxEntries: 500, now });
  }

  /** The servers the bot is in now. */
  guildIds(): Promise<ReadonlySet<string>> {
    return this.botGuilds.get('bot', async () => {
      const ids = new Set<string>();
      let after: string | undefined;
      for (let page = 0; page < MAX_GUILD_PAGES; page += 1) {
        const guilds = (await this.read(Routes.userGuilds(), makeURLSearchParams({ limit: GUILDS_PAGE, after }))) as Array<{ id: string }>;
        for (const guild of guilds) ids.add(guild.id);
        if (guilds.length < GUILDS_PAGE) break;
        after = guilds.at(-1)?.id;
      }
      return ids;
    });
  }

  /** The member's roles and name, or null when they are not (or no longer) in the server. */
  member(guildId: string, userId: string): Promise<GuildMember | null> {
    return this.members.get(`${guildId}:${userId}`, async () => {
      let raw: RawMember;
      try {
        raw = (await this.read(Routes.guildMember(guildId, userId))) as RawMember;
      } catch (error) {
        if (hasCode(error, RESTJSONErrorCodes.UnknownMember) || hasCode(error, RESTJSONErrorCodes.UnknownUser)) return null;
        throw error;
      }
      const member = { roleIds: raw.roles ?? [], name: raw.nick || raw.user?.global_name || raw.user?.username || userId };
      void this.names.get(`${guildId}:${userId}`, () => Promise.resolve(member.name));
      return member;
    });
  }

  /**
   * Display names for the people on a page. Each is asked once per 10 min;
   * whoever has not answered within `budgetMs` (Discord's rate limits) is
   * shown by id this time and by name next time.
   */
  async displayNames(guildId: string, userIds: Iterable<string>, budgetMs = 1_500): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const lookups = [...new Set(userIds)].map(async (userId) => {
      const name = await this.names
        .get(`${guildId}:${userId}`, async () => (await this.member(guildId, userId))?.name ?? null)
        .catch(() => null);
      if (name !== null) names.set(userId, name);
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, budgetMs);
    });
    await Promise.race([Promise.all(lookups), deadline]);
    clearTimeout(timer);
    return new Map(names);
  }

  channels(guildId: string): Promise<GuildChannel[]> {
    return this.channelLists.get(guildId, async () => {
      const raw = (await this.read(Routes.guildChannels(guildId))) as Array<{ id: string; name?: string; type: number; position?: number }>;
      return raw
        .map((channel) => ({ id: channel.id, name: channel.name ?? channel.id, kind: KINDS[channel.type] ?? ('other' as const), position: channel.position ?? 0 }))
        .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
    });
  }

  roles(guildId: string): Promise<GuildRole[]> {
    return this.roleLists.get(guildId, async () => {
      const raw = (await this.read(Routes.guildRoles(guildId))) as Array<{ id: string; name: string; position?: number; managed?: boolean }>;
      return raw
        .map((role) => ({ id: role.id, name: role.name, position: role.position ?? 0, managed: role.managed ?? false }))
        .sort((a, b) => b.position - a.position || a.name.localeCompare(b.name));
    });
  }

  private async read(route: `/${string}`, query?: URLSearchParams): Promise<unknown> {
    try {
      return await this.rest.get(route, query ? { query } : {});
    } catch (error) {
      if (error instanceof DiscordAPIError && error.status < 500) throw error;
      throw new DiscordUnavailable('Discord could not answer the bot', null, { cause: error });
    }
  }
}

function hasCode(error: unknown, code: number): boolean {
  return error instanceof DiscordAPIError && error.code === code;
}
