// A small fake Discord on one loopback port: REST under /api/v10, the CDN for
// attachments, and the gateway websocket at `/`. The real discord.js runs
// against it unchanged (PROTOCOLS.md §4); tests drive it by sending
// interactions and read back what the bot answered.
//
// Files: this one holds the public API and the interaction bookkeeping;
// fakeDiscordRest.ts routes HTTP requests, fakeDiscordGateway.ts the websocket,
// fakeDiscordPayloads.ts builds Discord's JSON shapes, fakeDiscordHttp.ts parses
// bodies and keeps the rate-limit bucket, fakeDiscordRecords.ts holds the shapes
// of what it records.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationCommandOptionType, ApplicationCommandType, ComponentType, InteractionContextType, InteractionType } from 'discord.js';
import { FakeGateway } from './fakeDiscordGateway.js';
import type { UploadedFile } from './fakeDiscordHttp.js';
import type { InteractionEvent, RecordedDiscordCall } from './fakeDiscordRecords.js';
import {
  DEFAULT_APP_PERMISSIONS,
  DEFAULT_ATTACHMENT_SIZE_LIMIT,
  DEFAULT_MEMBER_PERMISSIONS,
  attachmentUrl,
  guildCreatePayload,
  interactionToken,
  memberObject,
  snowflake,
  textChannelObject,
  userObject,
  type FakeAttachment,
} from './fakeDiscordPayloads.js';
import { FakeDiscordRest, type CdnBehaviour, type HostedFile, type InteractionState } from './fakeDiscordRest.js';

export type { UploadedFile } from './fakeDiscordHttp.js';
export type { InteractionEvent, RecordedDiscordCall } from './fakeDiscordRecords.js';
export type { CdnBehaviour } from './fakeDiscordRest.js';
export type { FakeAttachment as APIAttachmentLike } from './fakeDiscordPayloads.js';

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

export interface SlashOptionInput {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: SlashOptionInput[];
  /** Type 11: hosted on the fake's CDN and put in `data.resolved.attachments`. */
  attachment?: AttachmentInput;
  /** Type 6: put in `data.resolved.users` and `.members`. */
  user?: { id: string; username?: string };
  /** For autocomplete: the option the member is typing in. */
  focused?: boolean;
}

export interface SendCommandInput {
  name: string;
  options?: SlashOptionInput[];
  userId?: string;
  username?: string;
  memberRoles?: string[];
  /** Permission bitfield as a decimal string; defaults to an ordinary member's (view, send, attach, use commands). */
  memberPermissions?: string;
  channelId?: string;
  guildId?: string;
  /** The bot's permissions in the channel; defaults to view, send, attach, embed, read history. */
  appPermissions?: string;
  /** Bytes; defaults to 10 MiB, Discord's limit for an unboosted guild. */
  attachmentSizeLimit?: number;
  locale?: string;
  /** 1 chat input (default), 2 user context menu, 3 message context menu. */
  commandType?: number;
  /** For message context menus (type 3): the message the member right-clicked. */
  targetMessage?: { content?: string; attachments?: AttachmentInput[]; authorId?: string };
  /** For user context menus (type 2): the member right-clicked; defaults to the test member. */
  targetUser?: { id: string; username?: string };
}

/** Who acts in a component or modal interaction. */
export type InvokerInput = Pick<SendCommandInput, 'userId' | 'username' | 'memberRoles' | 'memberPermissions'>;

export interface InteractionHandle {
  id: string;
  token: string;
  events(): InteractionEvent[];
  waitForEvent(predicate: (e: InteractionEvent) => boolean, timeoutMs?: number): Promise<InteractionEvent>;
  /** The current state of the interaction's original response message, if there is one. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary Discord JSON
  originalMessage(): any;
}

export interface FakeDiscord {
  readonly port: number;
  /** `http://127.0.0.1:PORT/api`: discord.js appends `/v10` itself. */
  readonly apiBaseUrl: string;
  readonly cdnBaseUrl: string;
  /** `127.0.0.1:PORT`: the host the bot's attachment allowlist must accept in tests. */
  readonly attachmentHost: string;
  readonly applicationId: string;
  readonly botUserId: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly memberUserId: string;
  readonly calls: RecordedDiscordCall[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary Discord JSON
  readonly channelMessages: Array<{ channelId: string; body: any; files: UploadedFile[]; at: number }>;
  readonly registeredCommands: { global: unknown[]; guild: Record<string, unknown[]> };
  identifyCount(): number;
  connectedClients(): number;
  hostAttachment(a: AttachmentInput & { channelId?: string }): FakeAttachment;
  sendCommand(input: SendCommandInput): Promise<InteractionHandle>;
  /** The member types in an option of a slash command: mark that option `focused` (type 4 interaction). */
  sendAutocomplete(input: SendCommandInput): Promise<InteractionHandle>;
  /** A member submits a modal: `fields` maps each text input's custom id to its value (type 5 interaction). */
  submitModal(customId: string, fields: Record<string, string>, input?: InvokerInput): Promise<InteractionHandle>;
  /** Fills in every field discord.js needs, then applies `d` on top (set a field to undefined to drop it, e.g. `member` for a DM). */
  sendRawInteraction(d: Record<string, unknown>): Promise<InteractionHandle>;
  interaction(token: string): InteractionHandle | undefined;
  /** A member clicks a button on the original response of `on` (type 3 interaction, full message attached). */
  clickButton(on: InteractionHandle, customId: string, input?: InvokerInput): Promise<InteractionHandle>;
  waitFor<T>(probe: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  /** Answers the next `times` matching requests (method + substring of the decoded path) with this response instead. */
  failNext(
    match: { method?: string; pathIncludes: string },
    response: { status: number; body?: unknown; retryAfterSeconds?: number },
    times?: number,
  ): void;
  /** Afterwards webhook routes for the token answer 401 Invalid Webhook Token (50027), as after 15 minutes. */
  expireToken(token: string): void;
  /** op 7 to every connected client: discord.js reconnects to `resume_gateway_url` and resumes. */
  requestReconnect(): void;
  close(): Promise<void>;
}

export interface FakeDiscordOptions {
  applicationId?: string;
  /** Added before every HTTP answer, to make races visible. */
  latencyMs?: number;
  /** Callbacks later than this after dispatch get 10062 Unknown interaction. Discord allows 3 s. */
  callbackDeadlineMs?: number;
}

const DEFAULT_WAIT_MS = 10_000;

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return new FakeDiscordServer(server, options);
}

class FakeDiscordServer implements FakeDiscord {
  readonly port: number;
  readonly apiBaseUrl: string;
  readonly cdnBaseUrl: string;
  readonly attachmentHost: string;
  readonly applicationId: string;
  readonly botUserId: string;
  readonly guildId = snowflake();
  readonly channelId = snowflake();
  readonly memberUserId = snowflake();
  readonly botRoleId = snowflake();
  readonly calls: RecordedDiscordCall[] = [];
  readonly channelMessages: FakeDiscord['channelMessages'] = [];
  readonly registeredCommands: FakeDiscord['registeredCommands'] = { global: [], guild: {} };

  private readonly gateway: FakeGateway;
  private readonly rest: FakeDiscordRest;
  private readonly interactions = new Map<string, InteractionState>();
  private readonly cdnFiles = new Map<string, HostedFile>();
  private readonly users = new Map<string, Record<string, unknown>>();
  private readonly channels = new Map<string, Record<string, unknown>>();

  constructor(
    private readonly server: Server,
    options: FakeDiscordOptions,
  ) {
    this.port = (server.address() as AddressInfo).port;
    this.attachmentHost = `127.0.0.1:${this.port}`;
    this.cdnBaseUrl = `http://${this.attachmentHost}`;
    this.apiBaseUrl = `${this.cdnBaseUrl}/api`;
    this.applicationId = options.applicationId ?? snowflake();
    // A bot's user id equals its application id for every app created since 2020.
    this.botUserId = this.applicationId;
    this.users.set(this.botUserId, userObject(this.botUserId, 'Animate Bot', true));
    this.users.set(this.memberUserId, userObject(this.memberUserId, 'tester'));
    this.channels.set(this.channelId, textChannelObject(this.channelId, this.guildId, 'general'));

    const gatewayUrl = `ws://${this.attachmentHost}`;
    this.gateway = new FakeGateway({
      server,
      url: gatewayUrl,
      readyPayload: (sessionId) => ({
        v: 10,
        user: this.users.get(this.botUserId),
        guilds: [{ id: this.guildId, unavailable: true }],
        session_id: sessionId,
        resume_gateway_url: gatewayUrl,
        shard: [0, 1],
        application: { id: this.applicationId, flags: 0 },
        private_channels: [],
        presences: [],
        relationships: [],
        guild_join_requests: [],
        geo_ordered_rtc_regions: [],
        user_settings: {},
      }),
      guildCreatePayload: () =>
        guildCreatePayload(this, { bot: this.users.get(this.botUserId)!, member: this.users.get(this.memberUserId)! }),
    });
    this.rest = new FakeDiscordRest({
      server,
      ids: this,
      gatewayUrl,
      latencyMs: options.latencyMs ?? 0,
      callbackDeadlineMs: options.callbackDeadlineMs ?? 3_000,
      calls: this.calls,
      channelMessages: this.channelMessages,
      registeredCommands: this.registeredCommands,
      interactions: this.interactions,
      cdnFiles: this.cdnFiles,
      users: this.users,
      channels: this.channels,
      hostFile: (file, channelId) => this.hostAttachment({ ...file, channelId }),
    });
  }

  identifyCount(): number {
    return this.gateway.identifyCount();
  }

  connectedClients(): number {
    return this.gateway.connectedClients();
  }

  requestReconnect(): void {
    this.gateway.requestReconnect();
  }

  hostAttachment(a: AttachmentInput & { channelId?: string }): FakeAttachment {
    const id = snowflake();
    const channelId = a.channelId ?? this.channelId;
    const url = a.url ?? attachmentUrl(this.cdnBaseUrl, channelId, id, a.filename);
    this.cdnFiles.set(`${channelId}/${id}/${a.filename}`, {
      bytes: a.bytes,
      contentType: a.contentType,
      ...(a.cdn ? { behaviour: a.cdn } : {}),
    });
    return {
      id,
      filename: a.filename,
      size: a.declaredSize ?? a.bytes.length,
      url,
      proxy_url: url,
      ...(a.contentType === undefined ? {} : { content_type: a.contentType }),
      ...(a.width === undefined ? {} : { width: a.width }),
      ...(a.height === undefined ? {} : { height: a.height }),
    };
  }

  failNext(
    match: { method?: string; pathIncludes: string },
    response: { status: number; body?: unknown; retryAfterSeconds?: number },
    times = 1,
  ): void {
    this.rest.injectedFailures.push({ match, response, remaining: times });
  }

  expireToken(token: string): void {
    this.rest.expiredTokens.add(token);
  }

  interaction(token: string): InteractionHandle | undefined {
    const state = this.interactions.get(token);
    return state ? this.handle(state) : undefined;
  }

  sendCommand(input: SendCommandInput): Promise<InteractionHandle> {
    return this.sendApplicationCommand(input, InteractionType.ApplicationCommand);
  }

  sendAutocomplete(input: SendCommandInput): Promise<InteractionHandle> {
    return this.sendApplicationCommand(input, InteractionType.ApplicationCommandAutocomplete);
  }

  submitModal(customId: string, fields: Record<string, string>, input: InvokerInput = {}): Promise<InteractionHandle> {
    const components = Object.entries(fields).map(([id, value]) => ({
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.TextInput, custom_id: id, value }],
    }));
    return this.sendRawInteraction({
      type: InteractionType.ModalSubmit,
      data: { custom_id: customId, components },
      ...this.invoker(input, this.channelId, this.guildId),
    });
  }

  private async sendApplicationCommand(
    input: SendCommandInput,
    type: InteractionType.ApplicationCommand | InteractionType.ApplicationCommandAutocomplete,
  ): Promise<InteractionHandle> {
    const channelId = input.channelId ?? this.channelId;
    const guildId = input.guildId ?? this.guildId;
    const resolved: Record<string, Record<string, unknown>> = {};
    const commandType = input.commandType ?? ApplicationCommandType.ChatInput;
    const data: Record<string, unknown> = {
      id: this.commandIdFor(input.name, guildId),
      name: input.name,
      type: commandType,
      guild_id: guildId,
    };
    if (commandType === ApplicationCommandType.ChatInput) {
      data.options = (input.options ?? []).map((option) => this.buildOption(option, resolved, channelId, guildId));
    }
    if (commandType === ApplicationCommandType.Message) {
      const target = this.targetMessage(input.targetMessage ?? {}, channelId, guildId);
      data.target_id = target.id;
      resolved.messages = { [String(target.id)]: target };
    }
    if (commandType === ApplicationCommandType.User) {
      const id = input.targetUser?.id ?? this.memberUserId;
      const user = this.users.get(id) ?? userObject(id, input.targetUser?.username ?? `user${id.slice(-4)}`);
      this.users.set(id, user);
      data.target_id = id;
      resolved.users = { [id]: user };
      resolved.members = { [id]: memberObject(undefined, [], new Date().toISOString(), DEFAULT_MEMBER_PERMISSIONS) };
    }
    if (Object.keys(resolved).length > 0) data.resolved = resolved;

    return this.sendRawInteraction({
      type,
      data,
      ...this.invoker(input, channelId, guildId),
    });
  }

  clickButton(on: InteractionHandle, customId: string, input: InvokerInput = {}): Promise<InteractionHandle> {
    const message = on.originalMessage() as { channel_id?: string } | undefined;
    if (!message) throw new Error('fake Discord: clickButton needs an original response with components');
    const channelId = message.channel_id ?? this.channelId;
    return this.sendRawInteraction({
      type: InteractionType.MessageComponent,
      data: { custom_id: customId, component_type: ComponentType.Button },
      message,
      ...this.invoker(input, channelId, this.guildId),
    });
  }

  async sendRawInteraction(d: Record<string, unknown>): Promise<InteractionHandle> {
    const guildId = typeof d.guild_id === 'string' ? d.guild_id : this.guildId;
    const payload: Record<string, unknown> = {
      id: snowflake(),
      application_id: this.applicationId,
      token: interactionToken(),
      version: 1,
      guild_id: guildId,
      guild: { id: guildId, locale: 'en-US', features: [] },
      locale: 'en-US',
      guild_locale: 'en-US',
      // Without these two, discord.js throws inside its websocket handler and no event fires (PROTOCOLS.md §4).
      entitlements: [],
      authorizing_integration_owners: { '0': guildId },
      context: InteractionContextType.Guild,
      app_permissions: DEFAULT_APP_PERMISSIONS,
      attachment_size_limit: DEFAULT_ATTACHMENT_SIZE_LIMIT,
      ...this.invoker({}, this.channelId, guildId),
      ...d,
    };
    const token = String(payload.token);
    const channel = payload.channel as { id?: string } | undefined;
    const state: InteractionState = {
      id: String(payload.id),
      token,
      channelId: channel?.id ?? this.channelId,
      guildId: typeof payload.guild_id === 'string' ? payload.guild_id : undefined,
      payload,
      dispatchedAt: 0,
      acknowledged: false,
      messageIds: new Set(),
      events: [],
    };
    this.interactions.set(token, state);
    await this.waitFor(
      () => this.gateway.readyClients() > 0,
      DEFAULT_WAIT_MS,
      'no discord.js client has identified with the fake gateway (did the bot log in?)',
    );
    // The 3 s answer window starts when Discord sends the event.
    state.dispatchedAt = Date.now();
    this.gateway.dispatch('INTERACTION_CREATE', payload);
    return this.handle(state);
  }

  waitFor<T>(probe: () => T | undefined | false, timeoutMs = DEFAULT_WAIT_MS, description?: string): Promise<T> {
    const startedAt = Date.now();
    return new Promise<T>((resolve, reject) => {
      const poll = () => {
        let value: T | undefined | false;
        try {
          value = probe();
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (value !== undefined && value !== false) {
          resolve(value);
        } else if (Date.now() - startedAt >= timeoutMs) {
          const what = description ?? `condition ${probe.toString().replace(/\s+/g, ' ').slice(0, 200)}`;
          reject(new Error(`fake Discord: timed out after ${timeoutMs} ms waiting for ${what}`));
        } else {
          setTimeout(poll, 10);
        }
      };
      poll();
    });
  }

  async close(): Promise<void> {
    await this.gateway.close();
    // Keep-alive sockets from discord.js's undici pool would otherwise hold close() open.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(state: InteractionState): InteractionHandle {
    return {
      id: state.id,
      token: state.token,
      events: () => [...state.events],
      waitForEvent: (predicate, timeoutMs = DEFAULT_WAIT_MS) =>
        this.waitFor(
          () => state.events.find(predicate),
          timeoutMs,
          `an interaction event matching ${predicate.toString().replace(/\s+/g, ' ').slice(0, 200)}; ` +
            `events so far: [${state.events.map((e) => `${e.kind}${e.callbackType ? `(${e.callbackType})` : ''}`).join(', ')}]`,
        ),
      originalMessage: () => (state.originalMessageId ? this.rest.messages.get(state.originalMessageId) : undefined),
    };
  }

  /** The member (or user) who runs the command, with their permissions in the channel. */
  private invoker(input: Omit<SendCommandInput, 'name'>, channelId: string, guildId: string): Record<string, unknown> {
    const userId = input.userId ?? this.memberUserId;
    const user = this.users.get(userId) ?? userObject(userId, input.username ?? `user${userId.slice(-4)}`);
    this.users.set(userId, user);
    if (!this.channels.has(channelId)) {
      this.channels.set(channelId, textChannelObject(channelId, guildId, `channel-${channelId.slice(-4)}`));
    }
    const permissions = input.memberPermissions ?? DEFAULT_MEMBER_PERMISSIONS;
    return {
      channel: this.channels.get(channelId),
      channel_id: channelId,
      member: memberObject(user, input.memberRoles ?? [], new Date().toISOString(), permissions),
      ...(input.appPermissions === undefined ? {} : { app_permissions: input.appPermissions }),
      ...(input.attachmentSizeLimit === undefined ? {} : { attachment_size_limit: input.attachmentSizeLimit }),
      ...(input.locale === undefined ? {} : { locale: input.locale }),
    };
  }

  private buildOption(
    option: SlashOptionInput,
    resolved: Record<string, Record<string, unknown>>,
    channelId: string,
    guildId: string,
  ): Record<string, unknown> {
    const built: Record<string, unknown> = { name: option.name, type: option.type };
    if (option.focused) built.focused = true;
    if (option.options) built.options = option.options.map((o) => this.buildOption(o, resolved, channelId, guildId));
    if (option.type === ApplicationCommandOptionType.Attachment && option.attachment) {
      const hosted = this.hostAttachment({ ...option.attachment, channelId });
      // Discord marks slash-command uploads ephemeral: they live only as long as the interaction needs them.
      (resolved.attachments ??= {})[hosted.id] = { ...hosted, ephemeral: true };
      built.value = hosted.id;
    } else if (option.type === ApplicationCommandOptionType.User && (option.user || typeof option.value === 'string')) {
      const id = option.user?.id ?? String(option.value);
      const user = this.users.get(id) ?? userObject(id, option.user?.username ?? `user${id.slice(-4)}`);
      this.users.set(id, user);
      (resolved.users ??= {})[id] = user;
      (resolved.members ??= {})[id] = memberObject(undefined, [], new Date().toISOString(), DEFAULT_MEMBER_PERMISSIONS);
      built.value = id;
    } else if (option.value !== undefined) {
      built.value = option.value;
    }
    return built;
  }

  private targetMessage(input: NonNullable<SendCommandInput['targetMessage']>, channelId: string, guildId: string) {
    const authorId = input.authorId ?? this.memberUserId;
    const message = this.rest.createMessage({
      channelId,
      guildId,
      author: this.users.get(authorId) ?? userObject(authorId, `user${authorId.slice(-4)}`),
    });
    message.content = input.content ?? '';
    message.attachments = (input.attachments ?? []).map((a) => this.hostAttachment({ ...a, channelId }));
    return message;
  }

  /** Reuses the id a deploy gave the command, like Discord, so a router keyed by id also works. */
  private commandIdFor(name: string, guildId: string): string {
    const registered = [...(this.registeredCommands.guild[guildId] ?? []), ...this.registeredCommands.global] as Array<{
      id: string;
      name: string;
    }>;
    return registered.find((c) => c.name === name)?.id ?? snowflake();
  }
}
