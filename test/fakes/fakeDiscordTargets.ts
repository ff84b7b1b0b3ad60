// What a member points at with a context-menu command: a message (with its
// attachments and embeds) or a user. Discord puts the whole target into
// `data.resolved`, so the bot never has to fetch it
// (https://discord.com/developers/docs/interactions/application-commands#message-commands).
import type { CdnBehaviour } from './fakeDiscordRest.js';
import { DEFAULT_MEMBER_PERMISSIONS, partialMemberObject, snowflake, userObject, type FakeAttachment } from './fakeDiscordPayloads.js';

export interface AttachmentInput {
  filename: string;
  bytes: Buffer;
  contentType?: string;
  /** The `size` Discord will claim; lets tests lie about it. Defaults to the real length. */
  declaredSize?: number;
  width?: number;
  height?: number;
  /** The `url` (and `proxy_url`) Discord will claim, e.g. one on another host; the bytes stay on the fake CDN. */
  url?: string;
  /** How the fake CDN serves the bytes: a redirect, a slow drip, an endless body… */
  cdn?: CdnBehaviour;
}

/**
 * A picture in an embed. Discord keeps the address the link pointed at in
 * `url` (any host) and serves a copy through its media proxy at `proxy_url`;
 * the fake serves `bytes` at a `proxy_url` on its own CDN.
 */
export interface EmbedMediaInput {
  /** Where the picture lives, e.g. `https://example.com/cat.png`; defaults to the proxied copy. */
  url?: string;
  bytes?: Buffer;
  filename?: string;
  contentType?: string;
  width?: number;
  height?: number;
  cdn?: CdnBehaviour;
}

export interface EmbedInput {
  /** 'image' for a posted picture link, 'gifv' for a GIF, 'rich' for a bot's embed (default). */
  type?: 'rich' | 'image' | 'gifv' | 'video' | 'article' | 'link';
  title?: string;
  description?: string;
  url?: string;
  image?: EmbedMediaInput;
  thumbnail?: EmbedMediaInput;
  video?: EmbedMediaInput;
}

export interface TargetMessageInput {
  /** Point at a message the fake already holds (one the bot sent, say) instead of making one. */
  messageId?: string;
  content?: string;
  attachments?: AttachmentInput[];
  embeds?: EmbedInput[];
  /** Defaults to the test member. */
  authorId?: string;
}

export interface TargetUserInput {
  id: string;
  username?: string;
  bot?: boolean;
  roles?: string[];
  /** Their permissions in the channel, as a decimal bitfield. */
  permissions?: string;
  /** False for someone who is not (or no longer) in the server: no entry in `resolved.members`. */
  inGuild?: boolean;
}

export interface TargetDeps {
  users: Map<string, Record<string, unknown>>;
  messages: Map<string, Record<string, unknown>>;
  createMessage(init: { channelId: string; guildId: string; author: Record<string, unknown> }): Record<string, unknown>;
  hostAttachment(a: AttachmentInput & { channelId: string }): FakeAttachment;
  /** Serves bytes at `directory/filename` on the fake CDN; returns the URL. */
  hostFile(directory: string, filename: string, file: { bytes: Buffer; contentType?: string | undefined; cdn?: CdnBehaviour | undefined }): string;
  defaultAuthorId: string;
}

/** `data.target_id` and `data.resolved` of a MESSAGE command. */
export function messageTarget(deps: TargetDeps, input: TargetMessageInput, channelId: string, guildId: string) {
  const message = input.messageId === undefined ? newMessage(deps, input, channelId, guildId) : existingMessage(deps, input.messageId);
  // A copy: later edits to the stored message must not change what this interaction carried.
  const snapshot = structuredClone(message);
  return { target_id: String(message.id), resolved: { messages: { [String(message.id)]: snapshot } } };
}

/** `data.target_id` and `data.resolved` of a USER command: the user, and their member data if they are in the server. */
export function userTarget(deps: TargetDeps, input: TargetUserInput) {
  const user = deps.users.get(input.id) ?? userObject(input.id, input.username ?? `user${input.id.slice(-4)}`, input.bot ?? false);
  deps.users.set(input.id, user);
  const member = partialMemberObject(input.roles ?? [], new Date().toISOString(), input.permissions ?? DEFAULT_MEMBER_PERMISSIONS);
  return {
    target_id: input.id,
    resolved: { users: { [input.id]: user }, ...(input.inGuild === false ? {} : { members: { [input.id]: member } }) },
  };
}

function existingMessage(deps: TargetDeps, messageId: string): Record<string, unknown> {
  const message = deps.messages.get(messageId);
  if (!message) throw new Error(`fake Discord: no message ${messageId} to point at`);
  return message;
}

function newMessage(deps: TargetDeps, input: TargetMessageInput, channelId: string, guildId: string): Record<string, unknown> {
  const authorId = input.authorId ?? deps.defaultAuthorId;
  const author = deps.users.get(authorId) ?? userObject(authorId, `user${authorId.slice(-4)}`);
  deps.users.set(authorId, author);
  const message = deps.createMessage({ channelId, guildId, author });
  message.content = input.content ?? '';
  message.attachments = (input.attachments ?? []).map((a) => deps.hostAttachment({ ...a, channelId }));
  message.embeds = (input.embeds ?? []).map((embed) => embedObject(deps, embed));
  return message;
}

function embedObject(deps: TargetDeps, input: EmbedInput): Record<string, unknown> {
  return {
    type: input.type ?? 'rich',
    ...(input.title === undefined ? {} : { title: input.title }),
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.url === undefined ? {} : { url: input.url }),
    ...(input.image ? { image: embedMedia(deps, input.image) } : {}),
    ...(input.thumbnail ? { thumbnail: embedMedia(deps, input.thumbnail) } : {}),
    ...(input.video ? { video: embedMedia(deps, input.video) } : {}),
  };
}

function embedMedia(deps: TargetDeps, input: EmbedMediaInput): Record<string, unknown> {
  let proxyUrl: string | undefined;
  if (input.bytes) {
    const filename = input.filename ?? 'image.png';
    proxyUrl = deps.hostFile(`/external/${snowflake()}`, filename, { bytes: input.bytes, contentType: input.contentType, cdn: input.cdn });
  }
  const url = input.url ?? proxyUrl;
  if (url === undefined) throw new Error('fake Discord: an embed picture needs a url or bytes');
  return {
    url,
    ...(proxyUrl === undefined ? {} : { proxy_url: proxyUrl }),
    ...(input.width === undefined ? {} : { width: input.width }),
    ...(input.height === undefined ? {} : { height: input.height }),
    ...(input.contentType === undefined ? {} : { content_type: input.contentType }),
  };
}
