import { PermissionFlagsBits } from 'discord.js';
import type { Clock } from '../../util/clock.js';
import { TtlCache } from '../../util/ttlCache.js';
import { ACCESS_CACHE_MS, type BotDirectory } from './botDirectory.js';
import type { DiscordOAuth, UserGuild } from './discordOAuth.js';
import type { Session } from './sessions.js';

/**
 * Who may see what, decided on every request from what Discord says now
 * (kept 30 s at most), never from the session: a moderator whose Manage
 * Server is taken away, or who leaves the server, loses the pages within half
 * a minute. The rules are /quota's (commands/permissions.ts): Manage Server
 * (Administrator and ownership include it) or a role in QUOTA_ADMIN_ROLE_IDS
 * makes a moderator; any other member of a server the bot is in sees only
 * their own use.
 */

export type Standing = 'moderator' | 'member';

export interface ServerAccess {
  guildId: string;
  guildName: string;
  standing: Standing;
}

/** The page is not for this person: 403, and not a word about the server. */
export class AccessDenied extends Error {}

export interface AccessControlOptions {
  oauth: DiscordOAuth;
  directory: BotDirectory;
  adminRoleIds: readonly string[];
  now: Clock;
}

export class AccessControl {
  private readonly userGuilds: TtlCache<UserGuild[]>;

  constructor(private readonly options: AccessControlOptions) {
    this.userGuilds = new TtlCache({ ttlMs: ACCESS_CACHE_MS, maxEntries: 10_000, now: options.now });
  }

  /** Every server the person shares with the bot, with what they may do there; moderators' servers first. */
  async servers(session: Session): Promise<ServerAccess[]> {
    const [guilds, botGuilds] = await Promise.all([this.guildsOf(session), this.options.directory.guildIds()]);
    const shared = guilds.filter((guild) => botGuilds.has(guild.id));
    const servers = await Promise.all(shared.map((guild) => this.standingIn(guild, session.userId)));
    return servers.sort((a, b) => (a.standing === b.standing ? a.guildName.localeCompare(b.guildName) : a.standing === 'moderator' ? -1 : 1));
  }

  /** The person's standing in one server; AccessDenied when they are not in it or the bot is not. */
  async server(session: Session, guildId: string): Promise<ServerAccess> {
    const [guilds, botGuilds] = await Promise.all([this.guildsOf(session), this.options.directory.guildIds()]);
    const guild = guilds.find((candidate) => candidate.id === guildId);
    if (!guild || !botGuilds.has(guildId)) throw new AccessDenied(`not a shared server: ${guildId}`);
    return this.standingIn(guild, session.userId);
  }

  async moderatorOf(session: Session, guildId: string): Promise<ServerAccess> {
    const access = await this.server(session, guildId);
    if (access.standing !== 'moderator') throw new AccessDenied(`not a moderator of ${guildId}`);
    return access;
  }

  /** After logout: the next login asks Discord afresh. */
  forget(session: Session): void {
    this.userGuilds.delete(session.id);
  }

  private guildsOf(session: Session): Promise<UserGuild[]> {
    return this.userGuilds.get(session.id, () => this.options.oauth.guilds(session.accessToken));
  }

  private async standingIn(guild: UserGuild, userId: string): Promise<ServerAccess> {
    const base = { guildId: guild.id, guildName: guild.name };
    if (guild.owner || hasManageServer(guild.permissions)) return { ...base, standing: 'moderator' };
    const { adminRoleIds } = this.options;
    if (adminRoleIds.length === 0) return { ...base, standing: 'member' };
    const member = await this.options.directory.member(guild.id, userId);
    const isAdmin = member !== null && member.roleIds.some((role) => adminRoleIds.includes(role));
    return { ...base, standing: isAdmin ? 'moderator' : 'member' };
  }
}

/** Administrator includes every permission, as discord.js's `has` reads it for /quota. */
export function hasManageServer(permissions: bigint): boolean {
  return (permissions & (PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator)) !== 0n;
}
