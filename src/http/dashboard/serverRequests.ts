import type { FastifyRequest } from 'fastify';
import type { DashboardContext } from './context.js';
import type { DiscordNames } from './discordText.js';
import type { GuildDirectoryView } from './settingsForm.js';

/** What every page of one server reads from its request and from Discord: the server's id, its channels and roles, names. */
export type GuildParams = { Params: { guildId: string } };

/** A Discord id in the path; anything else is not a server (404, before any lookup). */
export const GUILD_ID = /^\d{17,20}$/;

export function guildIdOf(request: FastifyRequest<GuildParams>): string {
  const { guildId } = request.params;
  if (!GUILD_ID.test(guildId)) throw Object.assign(new Error('not a server id'), { statusCode: 404 });
  return guildId;
}

export async function guildView(context: DashboardContext, guildId: string): Promise<GuildDirectoryView> {
  const [channels, roles] = await Promise.all([context.directory.channels(guildId), context.directory.roles(guildId)]);
  return { channels, roles };
}

/** Names for the ids a page shows: channels and roles of the server, members asked for (briefly cached). */
export async function namesFor(context: DashboardContext, guildId: string, guild: GuildDirectoryView, userIds: readonly string[]): Promise<DiscordNames> {
  const members = await context.directory.displayNames(guildId, userIds);
  return {
    channel: (id) => guild.channels.find((channel) => channel.id === id)?.name,
    role: (id) => guild.roles.find((role) => role.id === id)?.name.replace(/^@/, ''),
    user: (id) => members.get(id),
  };
}
