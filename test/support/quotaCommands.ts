import { PermissionFlagsBits } from 'discord.js';
import type { InteractionEvent, InteractionHandle, SlashOptionInput } from '../fakes/fakeDiscord.js';
import { DEFAULT_MEMBER_PERMISSIONS, snowflake } from '../fakes/fakeDiscordPayloads.js';
import type { Harness } from './harness.js';

/** A member who may manage the server: what /quota's changing subcommands require. */
export const MODERATOR_PERMISSIONS = (BigInt(DEFAULT_MEMBER_PERMISSIONS) | PermissionFlagsBits.ManageGuild).toString();

export interface Invoker {
  userId?: string;
  memberRoles?: string[];
  memberPermissions?: string;
  channelId?: string;
  /** The member's and the server's Discord locales (default en-US). */
  locale?: string;
  guildLocale?: string;
}

export interface CommandReply {
  handle: InteractionHandle;
  event: InteractionEvent;
  /** Content, then each embed's title, description, fields and footer, as a member reads them. */
  text: string;
  ephemeral: boolean;
}

/** Plays `/quota <subcommand> …` and waits for the bot's first answer. */
export function quotaCommand(harness: Harness, subcommand: string, options: SlashOptionInput[] = [], invoker: Invoker = {}): Promise<CommandReply> {
  return command(harness, 'quota', [{ name: subcommand, type: 1, options }], invoker);
}

/** Plays `/usage [member:<user>]`. */
export function usageCommand(harness: Harness, memberId?: string, invoker: Invoker = {}): Promise<CommandReply> {
  return command(harness, 'usage', memberId ? [{ name: 'member', type: 6, user: { id: memberId } }] : [], invoker);
}

export async function command(harness: Harness, name: string, options: SlashOptionInput[], invoker: Invoker = {}): Promise<CommandReply> {
  const handle = await harness.discord.sendCommand({ name, options, ...invoker });
  const event = await handle.waitForEvent((e) => e.kind === 'callback');
  return { handle, event, text: renderedText(event), ephemeral: isEphemeral(event) };
}

export function isEphemeral(event: InteractionEvent): boolean {
  const flags: unknown = event.kind === 'callback' ? event.body?.data?.flags : event.body?.flags;
  return typeof flags === 'number' && (flags & 64) === 64;
}

interface EmbedJson {
  title?: string;
  description?: string;
  fields?: Array<{ name: string; value: string }>;
  footer?: { text: string };
}

/** What a member sees in a reply: its content and its embeds, flattened to text. */
export function renderedText(event: InteractionEvent): string {
  const message = event.kind === 'callback' ? event.body?.data : event.body;
  const lines: string[] = [];
  if (typeof message?.content === 'string' && message.content) lines.push(message.content);
  for (const embed of (message?.embeds ?? []) as EmbedJson[]) {
    if (embed.title) lines.push(`**${embed.title}**`);
    if (embed.description) lines.push(embed.description);
    for (const field of embed.fields ?? []) lines.push(`__${field.name}__`, field.value);
    if (embed.footer?.text) lines.push(`-# ${embed.footer.text}`);
  }
  return lines.join('\n');
}

/**
 * Adds a role to the fake guild the way Discord announces one (GUILD_ROLE_CREATE),
 * so discord.js knows it: a member's roles are read through the guild's role
 * cache, which drops ids it has never seen. The fake has no role API of its
 * own, hence the reach into its gateway.
 */
export async function createRole(harness: Harness, name: string, id = snowflake()): Promise<string> {
  const gateway = (harness.discord as unknown as { gateway: { dispatch(t: string, d: unknown): void } }).gateway;
  gateway.dispatch('GUILD_ROLE_CREATE', {
    guild_id: harness.discord.guildId,
    role: {
      id,
      name,
      permissions: '0',
      position: 1,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      managed: false,
      mentionable: false,
      icon: null,
      unicode_emoji: null,
      flags: 0,
    },
  });
  await harness.discord.waitFor(() => harness.app.client.guilds.cache.get(harness.discord.guildId)?.roles.cache.has(id));
  return id;
}
