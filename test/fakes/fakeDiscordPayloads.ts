// Builders for the JSON objects the fake Discord sends: users, members, the
// guild, messages, attachments, interactions. Shapes follow Discord's API v10;
// fields discord.js 14 reads without a fallback are always present (see
// PROTOCOLS.md §4), the rest is kept to what makes the objects look real.
import { randomBytes } from 'node:crypto';
import { ChannelType, MessageFlags, MessageType, PermissionFlagsBits } from 'discord.js';
import { withComponentIds } from './fakeDiscordComponents.js';

const DISCORD_EPOCH_MS = 1_420_070_400_000n;
let lastSnowflake = 0n;

/**
 * A snowflake made from the current time, like Discord's. discord.js (and the
 * bot) derive `createdTimestamp` from ids, e.g. to judge whether an interaction
 * token is still inside its 15 minutes, so a plain counter would date every
 * interaction to the distant past. Strictly increasing, 19 digits.
 */
export function snowflake(): string {
  const fromClock = (BigInt(Date.now()) - DISCORD_EPOCH_MS) << 22n;
  lastSnowflake = fromClock > lastSnowflake ? fromClock : lastSnowflake + 1n;
  return lastSnowflake.toString();
}

let onShardSequence = 0n;

/**
 * A guild id that Discord would put on shard `shardId` of `shardCount`:
 * `(id >> 22) % count` is the creation time's milliseconds, so the time is
 * moved back (at most count − 1 ms) to the nearest one on that shard. The low
 * bits count up, so no two ids are the same.
 */
export function snowflakeOnShard(shardId: number, shardCount: number): string {
  const millis = BigInt(snowflake()) >> 22n;
  const count = BigInt(shardCount);
  const back = (((millis - BigInt(shardId)) % count) + count) % count;
  onShardSequence = (onShardSequence + 1n) & 0x3f_ffffn;
  return (((millis - back) << 22n) | onShardSequence).toString();
}

export function permissionBits(...flags: bigint[]): string {
  return flags.reduce((all, flag) => all | flag, 0n).toString();
}

/** What a plain member may do in the test channel: enough to use slash commands. */
export const DEFAULT_MEMBER_PERMISSIONS = permissionBits(
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.ReadMessageHistory,
  PermissionFlagsBits.AttachFiles,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.AddReactions,
  PermissionFlagsBits.UseApplicationCommands,
);

/** What the bot may do in the test channel: everything PROTOCOLS.md §3 says delivery needs. */
export const DEFAULT_APP_PERMISSIONS = permissionBits(
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.SendMessagesInThreads,
  PermissionFlagsBits.ReadMessageHistory,
  PermissionFlagsBits.AttachFiles,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.AddReactions,
  PermissionFlagsBits.UseExternalEmojis,
);

export const DEFAULT_ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

/** Real interaction tokens are long opaque strings; base64url never contains the `/` that would split the route. */
export function interactionToken(): string {
  return `aW50ZXJhY3Rpb246${randomBytes(48).toString('base64url')}`;
}

export function userObject(id: string, username: string, bot = false): Record<string, unknown> {
  return {
    id,
    username,
    global_name: bot ? null : username,
    discriminator: '0',
    avatar: null,
    bot,
    system: false,
    flags: 0,
    public_flags: 0,
  };
}

export function memberObject(
  user: Record<string, unknown> | undefined,
  roles: string[],
  joinedAt: string,
  permissions?: string,
): Record<string, unknown> {
  return {
    ...(user ? { user } : {}),
    nick: null,
    avatar: null,
    roles,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    pending: false,
    flags: 0,
    communication_disabled_until: null,
    ...(permissions === undefined ? {} : { permissions }),
  };
}

/** A member in `data.resolved.members`: Discord leaves out `user`, `deaf` and `mute` there. */
export function partialMemberObject(roles: string[], joinedAt: string, permissions: string): Record<string, unknown> {
  const { deaf: _deaf, mute: _mute, ...partial } = memberObject(undefined, roles, joinedAt, permissions);
  return partial;
}

export function textChannelObject(id: string, guildId: string, name: string): Record<string, unknown> {
  return {
    id,
    type: ChannelType.GuildText,
    guild_id: guildId,
    name,
    position: 0,
    parent_id: null,
    topic: null,
    nsfw: false,
    rate_limit_per_user: 0,
    last_message_id: null,
    permission_overwrites: [],
    flags: 0,
  };
}

export interface GuildIds {
  guildId: string;
  /** Defaults to 'Fake Guild'. */
  guildName?: string;
  channelId: string;
  botUserId: string;
  memberUserId: string;
  botRoleId: string;
}

/**
 * A complete GUILD_CREATE. discord.js holds back `ready` until every guild
 * announced as unavailable in READY arrives here, and caches roles, channels and
 * members from it; @everyone's role id equals the guild id.
 */
export function guildCreatePayload(ids: GuildIds, users: { bot: Record<string, unknown>; member: Record<string, unknown> }) {
  const joinedAt = new Date().toISOString();
  const role = (id: string, name: string, permissions: string, position: number) => ({
    id,
    name,
    permissions,
    position,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    managed: id === ids.botRoleId,
    mentionable: false,
    icon: null,
    unicode_emoji: null,
    flags: 0,
    ...(id === ids.botRoleId ? { tags: { bot_id: ids.botUserId } } : {}),
  });
  return {
    id: ids.guildId,
    name: ids.guildName ?? 'Fake Guild',
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: ids.memberUserId,
    region: 'us-west',
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: 'en-US',
    system_channel_id: ids.channelId,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    max_members: 500_000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    application_id: null,
    features: [],
    joined_at: joinedAt,
    large: false,
    unavailable: false,
    member_count: 2,
    roles: [
      role(ids.guildId, '@everyone', DEFAULT_MEMBER_PERMISSIONS, 0),
      role(ids.botRoleId, 'Animate Bot', DEFAULT_APP_PERMISSIONS, 1),
    ],
    channels: [textChannelObject(ids.channelId, ids.guildId, 'general')],
    threads: [],
    members: [
      memberObject(users.bot, [ids.botRoleId], joinedAt),
      memberObject(users.member, [], joinedAt),
    ],
    emojis: [],
    stickers: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export interface FakeAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
  width?: number;
  height?: number;
}

/**
 * Discord CDN links carry `ex` (expiry, hex seconds), `is` (issued) and `hm`
 * (signature). The fake does not check them; it adds them so URL handling in
 * the bot sees the real shape.
 */
export function attachmentUrl(cdnBaseUrl: string, channelId: string, attachmentId: string, filename: string): string {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const hex = (n: number) => n.toString(16);
  const signature = randomBytes(32).toString('hex');
  const path = `/attachments/${channelId}/${attachmentId}/${encodeURIComponent(filename)}`;
  return `${cdnBaseUrl}${path}?ex=${hex(nowSeconds + 86_400)}&is=${hex(nowSeconds)}&hm=${signature}&`;
}

export interface MessageInit {
  id: string;
  channelId: string;
  guildId?: string | undefined;
  author: Record<string, unknown>;
  type?: MessageType;
  webhookId?: string | undefined;
  applicationId?: string | undefined;
  flags?: number;
}

/** An empty message; `applyMessageEdit` fills in what the bot sent. */
export function messageObject(init: MessageInit): Record<string, unknown> {
  return {
    id: init.id,
    type: init.type ?? MessageType.Default,
    channel_id: init.channelId,
    ...(init.guildId ? { guild_id: init.guildId } : {}),
    author: init.author,
    content: '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    mention_channels: [],
    attachments: [],
    embeds: [],
    components: [],
    reactions: [],
    pinned: false,
    flags: init.flags ?? 0,
    ...(init.webhookId ? { webhook_id: init.webhookId } : {}),
    ...(init.applicationId ? { application_id: init.applicationId } : {}),
  };
}

/**
 * Applies a create/edit body to a stored message the way Discord does: given
 * fields replace, `attachments` lists what stays (existing ids) and which
 * uploads become attachments (`id` = the `files[N]` index); without it, uploads
 * are appended. `newAttachments` maps upload index → hosted attachment.
 */
export function applyMessageEdit(
  message: Record<string, unknown>,
  body: Record<string, unknown>,
  newAttachments: Map<string, FakeAttachment>,
  isEdit: boolean,
): void {
  for (const field of ['content', 'embeds', 'tts', 'poll'] as const) {
    if (body[field] !== undefined) message[field] = body[field] ?? (field === 'content' ? '' : []);
  }
  // Discord numbers the components it stores; clicks and modal submits echo those ids.
  if (body.components !== undefined) message.components = withComponentIds((body.components as unknown[] | null) ?? []);
  if (typeof body.flags === 'number') message.flags = body.flags;
  const existing = (message.attachments as FakeAttachment[]) ?? [];
  if (Array.isArray(body.attachments)) {
    message.attachments = (body.attachments as Array<{ id: string | number }>).flatMap((entry) => {
      const uploaded = newAttachments.get(String(entry.id));
      if (uploaded) return [uploaded];
      return existing.filter((a) => a.id === String(entry.id));
    });
  } else {
    message.attachments = [...existing, ...newAttachments.values()];
  }
  if (isEdit) {
    message.edited_timestamp = new Date().toISOString();
    // An edit ends the "Bot is thinking…" state of a deferred reply.
    message.flags = Number(message.flags ?? 0) & ~MessageFlags.Loading;
  }
}
