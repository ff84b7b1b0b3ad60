// A small fake Discord on one loopback port: REST under /api/v10, the CDN for
// attachments, and the gateway websocket at `/`. The real discord.js runs
// against it unchanged (PROTOCOLS.md §4); tests drive it by sending
// interactions and read back what the bot answered.
//
// Files: this one holds the public API and the interaction bookkeeping;
// fakeDiscordRest.ts routes HTTP requests, fakeDiscordGateway.ts the websocket,
// fakeDiscordPayloads.ts builds Discord's JSON shapes, fakeDiscordHttp.ts parses
// bodies and keeps the rate-limit bucket, fakeDiscordTargets.ts builds what a
// context menu points at, fakeDiscordComponents.ts numbers components and echoes
// modal submits, fakeDiscordValidation.ts holds Discord's body rules (50035).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
  MessageFlags,
} from 'discord.js';
import { checkSelection, eachComponent, findByCustomId, modalSubmitComponents, type ComponentJson, type ModalValues } from './fakeDiscordComponents.js';
import { FakeGateway, shardHears, type GatewaySessionInfo, type ShardTuple } from './fakeDiscordGateway.js';
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
  snowflakeOnShard,
  textChannelObject,
  userObject,
  type FakeAttachment,
  type GuildIds,
} from './fakeDiscordPayloads.js';
import { FakeDiscordRest, type HostedFile, type InteractionState, type RecordedModal } from './fakeDiscordRest.js';
import { FakeDiscordOAuthRoutes, type FakeDiscordOAuth } from './fakeDiscordOAuth.js';
import {
  messageTarget,
  userTarget,
  type AttachmentInput,
  type TargetDeps,
  type TargetMessageInput,
  type TargetUserInput,
} from './fakeDiscordTargets.js';

export type { UploadedFile } from './fakeDiscordHttp.js';
export type { InteractionEvent, RecordedDiscordCall } from './fakeDiscordRecords.js';
export type { CdnBehaviour, RecordedModal } from './fakeDiscordRest.js';
export type { FakeAttachment as APIAttachmentLike } from './fakeDiscordPayloads.js';
export type { ModalValues } from './fakeDiscordComponents.js';
export { shardOf, type GatewaySessionInfo, type ShardTuple } from './fakeDiscordGateway.js';
export type { FakeDiscordOAuth, MembershipInput } from './fakeDiscordOAuth.js';
export type { AttachmentInput, EmbedInput, EmbedMediaInput, TargetMessageInput, TargetUserInput } from './fakeDiscordTargets.js';

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

/** Who acts, where, and in which language: the fields every interaction the fake sends shares. */
export interface InvokerInput {
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
  /** The member's client language, sent as `locale`; defaults to 'en-US'. */
  locale?: string;
  /** The server's preferred language, sent as `guild_locale`; defaults to 'en-US'. */
  guildLocale?: string;
}

export interface SendCommandInput extends InvokerInput {
  name: string;
  options?: SlashOptionInput[];
  /** 1 chat input (default), 2 user context menu, 3 message context menu. */
  commandType?: number;
  /** For message context menus (type 3): the message the member right-clicked. */
  targetMessage?: TargetMessageInput;
  /** For user context menus (type 2): the user the member right-clicked. */
  targetUser?: TargetUserInput;
}

export interface MessageContextMenuInput extends InvokerInput {
  /** The command's name as registered, e.g. 'Animate image'. */
  name: string;
  message: TargetMessageInput;
}

export interface UserContextMenuInput extends InvokerInput {
  name: string;
  target: TargetUserInput;
}

/** A member acting on a message already there: the channel and guild are the message's. */
export type ComponentInvokerInput = Omit<InvokerInput, 'channelId' | 'guildId'>;

export interface ClickButtonInput extends ComponentInvokerInput {
  /** Any message the fake holds: an original response, a follow-up, a channel message. */
  messageId: string;
  customId: string;
  /**
   * Click a button the message no longer shows, or shows disabled: a member
   * whose client had not yet received the edit. Without it the fake refuses,
   * as a member cannot click what is not there.
   */
  stale?: boolean;
}

export interface SelectInput extends ComponentInvokerInput {
  messageId: string;
  customId: string;
  /** The option values picked; they must be offered, and within min/max. */
  values: string[];
}

export interface ModalSubmitInput {
  /** By `custom_id`: a string for a text input, the picked values for a select. Untouched fields keep their pre-filled value or defaults. */
  values: ModalValues;
  /** The member's client language at submit; defaults to the one the modal was opened with. */
  locale?: string;
}

export interface InteractionHandle {
  id: string;
  token: string;
  /** When the fake sent INTERACTION_CREATE (ms since the epoch): Discord's 3 s answer window starts here. */
  dispatchedAt: number;
  /** The INTERACTION_CREATE payload as dispatched: what the bot received. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary Discord JSON
  payload(): any;
  events(): InteractionEvent[];
  /** The shards (`[id, count]`) of the gateway sessions the INTERACTION_CREATE went to: one per connected session of the guild's shard. */
  dispatchedTo(): ShardTuple[];
  waitForEvent(predicate: (e: InteractionEvent) => boolean, timeoutMs?: number): Promise<InteractionEvent>;
  /** The current state of the interaction's original response message, if there is one. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary Discord JSON
  originalMessage(): any;
  /** The modal the bot answered with (callback type 9), as sent plus the component ids Discord adds; undefined until then. */
  modal(): RecordedModal | undefined;
  /**
   * The member fills in the bot's modal and presses Submit: a MODAL_SUBMIT
   * (interaction type 5) from the same member and channel, carrying the clicked
   * message when a button opened the modal. Waits for the modal if the bot has
   * not answered yet; throws if the member could not send these values.
   */
  submitModal(input: ModalSubmitInput): Promise<InteractionHandle>;
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
  /** Messages the bot posted with its token (channels and DMs), in order. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary Discord JSON
  readonly channelMessages: Array<{ channelId: string; messageId: string; body: any; files: UploadedFile[]; at: number }>;
  readonly registeredCommands: { global: unknown[]; guild: Record<string, unknown[]> };
  /** OAuth2 (authorize, token, users/@me/guilds) and the bot's server, member, channel and role reads: fakeDiscordOAuth.ts. */
  readonly oauth: FakeDiscordOAuth;
  identifyCount(): number;
  connectedClients(): number;
  /** Every open gateway connection: the shard it identified as, whether it is ready, the guilds it was sent. */
  gatewaySessions(): GatewaySessionInfo[];
  /**
   * Another server the bot is in, with a text channel: announced in READY and
   * GUILD_CREATE to the sessions of its shard (and at once to those already
   * connected). `shard: [id, count]` picks an id Discord would put on that shard.
   */
  addGuild(input?: AddGuildInput): FakeGuild;
  hostAttachment(a: AttachmentInput & { channelId?: string }): FakeAttachment;
  sendCommand(input: SendCommandInput): Promise<InteractionHandle>;
  /** A member runs a message command ("Apps → Animate image") on a message: type 2 with `data.type` 3, the message in `data.resolved.messages`. */
  messageContextMenu(input: MessageContextMenuInput): Promise<InteractionHandle>;
  /** A member runs a user command on someone: type 2 with `data.type` 2, the user in `data.resolved.users` (and `.members`). */
  userContextMenu(input: UserContextMenuInput): Promise<InteractionHandle>;
  /** Fills in every field discord.js needs, then applies `d` on top (set a field to undefined to drop it, e.g. `member` for a DM). */
  sendRawInteraction(d: Record<string, unknown>): Promise<InteractionHandle>;
  interaction(token: string): InteractionHandle | undefined;
  /**
   * A member (anyone who can see the message) clicks a button on a stored
   * message: type 3 with `data.component_type` 2 and the whole message as it
   * stands. Throws if the message does not show that button.
   */
  clickButton(input: ClickButtonInput): Promise<InteractionHandle>;
  /** The older form: clicks on the original response of `on`, without checking the button is still shown. */
  clickButton(on: InteractionHandle, customId: string, input?: ComponentInvokerInput): Promise<InteractionHandle>;
  /** The member types in an option of a slash command: mark that option `focused` (type 4 interaction). */
  sendAutocomplete(input: SendCommandInput): Promise<InteractionHandle>;
  /** A modal submit the bot never opened (a stale form): fields by text input custom id. */
  submitModal(customId: string, fields: Record<string, string>, input?: InvokerInput): Promise<InteractionHandle>;
  /** A member picks options in a string select on a stored message: type 3 with `data.component_type` 3 and `data.values`. */
  selectMenu(input: SelectInput): Promise<InteractionHandle>;
  /** A stored message as Discord holds it now (any the bot sent, or a test made); undefined if unknown or deleted. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary Discord JSON
  message(id: string): any;
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

export interface AddGuildInput {
  shard?: ShardTuple;
  name?: string;
}

export interface FakeGuild {
  guildId: string;
  channelId: string;
}

export interface FakeDiscordOptions {
  applicationId?: string;
  /** `shards` in `GET /gateway/bot`: Discord's recommended shard count. Default 1. */
  recommendedShards?: number;
  /** `session_start_limit.max_concurrency` in `GET /gateway/bot`: shards that may identify at once. Default 1. */
  maxConcurrency?: number;
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

  readonly oauth: FakeDiscordOAuthRoutes;
  private readonly gateway: FakeGateway;
  private readonly rest: FakeDiscordRest;
  private readonly interactions = new Map<string, InteractionState>();
  private readonly cdnFiles = new Map<string, HostedFile>();
  private readonly users = new Map<string, Record<string, unknown>>();
  private readonly channels = new Map<string, Record<string, unknown>>();
  /** The servers the bot is in: the main one first, then any a test added. */
  private readonly guilds: GuildIds[] = [];

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
    this.guilds.push({ guildId: this.guildId, channelId: this.channelId, botUserId: this.botUserId, memberUserId: this.memberUserId, botRoleId: this.botRoleId });

    const gatewayUrl = `ws://${this.attachmentHost}`;
    this.gateway = new FakeGateway({
      server,
      url: gatewayUrl,
      readyPayload: (sessionId, shard) => ({
        v: 10,
        user: this.users.get(this.botUserId),
        guilds: this.guildsOf(shard).map((guild) => ({ id: guild.guildId, unavailable: true })),
        session_id: sessionId,
        resume_gateway_url: gatewayUrl,
        shard: [...shard],
        application: { id: this.applicationId, flags: 0 },
        private_channels: [],
        presences: [],
        relationships: [],
        guild_join_requests: [],
        geo_ordered_rtc_regions: [],
        user_settings: {},
      }),
      guildCreatePayloads: (shard) => this.guildsOf(shard).map((guild) => this.guildCreate(guild)),
    });
    this.oauth = new FakeDiscordOAuthRoutes({
      applicationId: this.applicationId,
      botUserId: this.botUserId,
      botRoleId: this.botRoleId,
      mainGuild: { id: this.guildId, name: 'Fake Guild' },
      users: this.users,
      channels: this.channels,
    });
    this.rest = new FakeDiscordRest({
      server,
      ids: this,
      gatewayUrl,
      gatewayBot: { shards: options.recommendedShards ?? 1, maxConcurrency: options.maxConcurrency ?? 1 },
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
      extraRoutes: (req) => this.oauth.route(req),
    });
  }

  identifyCount(): number {
    return this.gateway.identifyCount();
  }

  connectedClients(): number {
    return this.gateway.connectedClients();
  }

  gatewaySessions(): GatewaySessionInfo[] {
    return this.gateway.sessionInfo();
  }

  addGuild(input: AddGuildInput = {}): FakeGuild {
    const guildId = input.shard ? snowflakeOnShard(input.shard[0], input.shard[1]) : snowflake();
    const channelId = snowflake();
    const guild: GuildIds = {
      guildId,
      channelId,
      botUserId: this.botUserId,
      memberUserId: this.memberUserId,
      botRoleId: snowflake(),
      guildName: input.name ?? `Fake Guild ${this.guilds.length + 1}`,
    };
    this.guilds.push(guild);
    this.channels.set(channelId, textChannelObject(channelId, guildId, 'general'));
    this.gateway.announceGuild(this.guildCreate(guild));
    return { guildId, channelId };
  }

  private guildsOf(shard: ShardTuple): GuildIds[] {
    return this.guilds.filter((guild) => shardHears(shard, guild.guildId));
  }

  private guildCreate(guild: GuildIds): Record<string, unknown> {
    return guildCreatePayload(guild, { bot: this.users.get(this.botUserId)!, member: this.users.get(this.memberUserId)! });
  }

  requestReconnect(): void {
    this.gateway.requestReconnect();
  }

  hostAttachment(a: AttachmentInput & { channelId?: string }): FakeAttachment {
    const id = snowflake();
    const channelId = a.channelId ?? this.channelId;
    const url = a.url ?? attachmentUrl(this.cdnBaseUrl, channelId, id, a.filename);
    this.cdnFiles.set(`/attachments/${channelId}/${id}/${a.filename}`, {
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

  /** The member types in an option of a slash command: mark that option `focused` (type 4 interaction). */
  sendAutocomplete(input: SendCommandInput): Promise<InteractionHandle> {
    return this.sendApplicationCommand(input, InteractionType.ApplicationCommandAutocomplete);
  }

  /**
   * A modal submit the bot never opened (a stale form, or a router test):
   * `fields` maps each text input's custom id to its value, in action rows.
   * To answer a modal the bot did open, use the handle's `submitModal`.
   */
  submitModal(customId: string, fields: Record<string, string>, input: InvokerInput = {}): Promise<InteractionHandle> {
    const components = Object.entries(fields).map(([id, value]) => ({
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.TextInput, custom_id: id, value }],
    }));
    return this.sendRawInteraction({
      type: InteractionType.ModalSubmit,
      data: { custom_id: customId, components },
      ...this.invoker(input, input.channelId ?? this.channelId, input.guildId ?? this.guildId),
    });
  }

  private async sendApplicationCommand(
    input: SendCommandInput,
    type: InteractionType.ApplicationCommand | InteractionType.ApplicationCommandAutocomplete,
  ): Promise<InteractionHandle> {
    const channelId = input.channelId ?? this.channelId;
    const guildId = input.guildId ?? this.guildId;
    const commandType = input.commandType ?? ApplicationCommandType.ChatInput;
    const data: Record<string, unknown> = {
      id: this.commandIdFor(input.name, commandType, guildId),
      name: input.name,
      type: commandType,
      guild_id: guildId,
    };
    if (commandType === ApplicationCommandType.ChatInput) {
      const resolved: Record<string, Record<string, unknown>> = {};
      data.options = (input.options ?? []).map((option) => this.buildOption(option, resolved, channelId, guildId));
      if (Object.keys(resolved).length > 0) data.resolved = resolved;
    } else if (commandType === ApplicationCommandType.Message) {
      Object.assign(data, messageTarget(this.targetDeps(), input.targetMessage ?? {}, channelId, guildId));
    } else if (commandType === ApplicationCommandType.User) {
      Object.assign(data, userTarget(this.targetDeps(), input.targetUser ?? { id: this.memberUserId }));
    }

    return this.sendRawInteraction({
      type,
      data,
      ...this.invoker(input, channelId, guildId),
    });
  }

  async messageContextMenu({ message, ...input }: MessageContextMenuInput): Promise<InteractionHandle> {
    return this.sendCommand({ ...input, commandType: ApplicationCommandType.Message, targetMessage: message });
  }

  async userContextMenu({ target, ...input }: UserContextMenuInput): Promise<InteractionHandle> {
    return this.sendCommand({ ...input, commandType: ApplicationCommandType.User, targetUser: target });
  }

  clickButton(input: ClickButtonInput): Promise<InteractionHandle>;
  clickButton(on: InteractionHandle, customId: string, input?: ComponentInvokerInput): Promise<InteractionHandle>;
  async clickButton(target: ClickButtonInput | InteractionHandle, legacyCustomId?: string, legacyInput: ComponentInvokerInput = {}): Promise<InteractionHandle> {
    if ('token' in target) {
      // The older form checks nothing, so a click may race the edit that removes the button.
      const message = target.originalMessage() as Record<string, unknown> | undefined;
      if (!message) throw new Error('fake Discord: clickButton needs an original response with components');
      return this.dispatchComponent(message, { custom_id: legacyCustomId, component_type: ComponentType.Button }, legacyInput);
    }
    const { messageId, customId, stale = false, ...input } = target;
    const message = this.visibleMessage(messageId, input.userId ?? this.memberUserId);
    const button = findByCustomId((message.components ?? []) as ComponentJson[], customId);
    if (!stale && button?.type !== ComponentType.Button) {
      throw new Error(`fake Discord: message ${messageId} shows no button ${customId} (custom_ids: ${customIds(message).join(', ') || 'none'})`);
    }
    if (!stale && button?.disabled === true) throw new Error(`fake Discord: button ${customId} is disabled`);
    return this.dispatchComponent(
      message,
      { component_type: ComponentType.Button, custom_id: customId, ...(button?.id === undefined ? {} : { id: button.id }) },
      input,
    );
  }

  async selectMenu({ messageId, customId, values, ...input }: SelectInput): Promise<InteractionHandle> {
    const message = this.visibleMessage(messageId, input.userId ?? this.memberUserId);
    const select = findByCustomId((message.components ?? []) as ComponentJson[], customId);
    if (select?.type !== ComponentType.StringSelect) {
      throw new Error(`fake Discord: message ${messageId} shows no string select ${customId} (custom_ids: ${customIds(message).join(', ') || 'none'})`);
    }
    if (select.disabled === true) throw new Error(`fake Discord: select ${customId} is disabled`);
    checkSelection(select, values, true);
    return this.dispatchComponent(message, { component_type: ComponentType.StringSelect, custom_id: customId, id: select.id, values }, input);
  }

  message(id: string): Record<string, unknown> | undefined {
    return this.rest.messages.get(id);
  }

  async sendRawInteraction(d: Record<string, unknown>): Promise<InteractionHandle> {
    const guildId = typeof d.guild_id === 'string' ? d.guild_id : this.guildId;
    const payload: Record<string, unknown> = {
      id: snowflake(),
      application_id: this.applicationId,
      token: interactionToken(),
      version: 1,
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
      dispatchedTo: [],
    };
    this.interactions.set(token, state);
    // Only a session of the guild's shard hears it (shard 0 for a DM).
    await this.waitFor(
      () => this.gateway.readyClientsFor(state.guildId) > 0,
      DEFAULT_WAIT_MS,
      'no discord.js client has identified with the fake gateway (did the bot log in?)' +
        (this.gateway.readyClients() > 0 ? ` for the shard of ${state.guildId === undefined ? 'DMs (shard 0)' : `guild ${state.guildId}`}` : ''),
    );
    // The 3 s answer window starts when Discord sends the event.
    state.dispatchedAt = Date.now();
    state.dispatchedTo = this.gateway.dispatch('INTERACTION_CREATE', payload);
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
      dispatchedAt: state.dispatchedAt,
      payload: () => state.payload,
      events: () => [...state.events],
      dispatchedTo: () => [...state.dispatchedTo],
      waitForEvent: (predicate, timeoutMs = DEFAULT_WAIT_MS) =>
        this.waitFor(
          () => state.events.find(predicate),
          timeoutMs,
          `an interaction event matching ${predicate.toString().replace(/\s+/g, ' ').slice(0, 200)}; ` +
            `events so far: [${state.events.map((e) => `${e.kind}${e.callbackType ? `(${e.callbackType})` : ''}`).join(', ')}]`,
        ),
      originalMessage: () => (state.originalMessageId ? this.rest.messages.get(state.originalMessageId) : undefined),
      modal: () => state.modal,
      submitModal: (input) => this.submitOpenedModal(state, input),
    };
  }

  private async submitOpenedModal(state: InteractionState, input: ModalSubmitInput): Promise<InteractionHandle> {
    const modal = await this.waitFor(() => state.modal, DEFAULT_WAIT_MS, `a modal (callback type 9) in answer to interaction ${state.id}`);
    const opener = state.payload;
    const clicked = opener.message as { id?: unknown } | undefined;
    if (input.locale !== undefined) checkLocale(input.locale);
    // The same member in the same place: only they saw the modal.
    return this.sendRawInteraction({
      type: InteractionType.ModalSubmit,
      data: { custom_id: modal.custom_id, components: modalSubmitComponents(modal.components, input.values) },
      ...pick(opener, ['guild_id', 'guild', 'channel', 'channel_id', 'member', 'user', 'app_permissions', 'attachment_size_limit', 'guild_locale', 'context']),
      locale: input.locale ?? opener.locale,
      // A modal opened from a button carries that message as it stands now.
      ...(clicked ? { message: structuredClone(this.rest.messages.get(String(clicked.id)) ?? clicked) } : {}),
    });
  }

  /** A type 3 interaction on `message`, from the member in `input`, in the message's channel. */
  private dispatchComponent(message: Record<string, unknown>, data: Record<string, unknown>, input: ComponentInvokerInput): Promise<InteractionHandle> {
    const channelId = typeof message.channel_id === 'string' ? message.channel_id : this.channelId;
    const guildId = typeof message.guild_id === 'string' ? message.guild_id : this.guildId;
    return this.sendRawInteraction({
      type: InteractionType.MessageComponent,
      data,
      // A copy: the bot's answer edits the stored message, not what this interaction carried.
      message: structuredClone(message),
      ...this.invoker(input, channelId, guildId),
    });
  }

  /** A stored message this member can see: an ephemeral one only its interaction's member sees. */
  private visibleMessage(messageId: string, userId: string): Record<string, unknown> {
    const message = this.rest.messages.get(messageId);
    if (!message) throw new Error(`fake Discord: no message ${messageId} (deleted, or never sent)`);
    const owner = (message.interaction_metadata as { user?: { id?: string } } | undefined)?.user?.id;
    if ((Number(message.flags ?? 0) & MessageFlags.Ephemeral) !== 0 && owner !== undefined && owner !== userId) {
      throw new Error(`fake Discord: message ${messageId} is ephemeral; only ${owner} sees it`);
    }
    return message;
  }

  private targetDeps(): TargetDeps {
    return {
      users: this.users,
      messages: this.rest.messages,
      createMessage: (init) => this.rest.createMessage(init),
      hostAttachment: (a) => this.hostAttachment(a),
      hostFile: (directory, filename, file) => {
        this.cdnFiles.set(`${directory}/${filename}`, {
          bytes: file.bytes,
          contentType: file.contentType,
          ...(file.cdn ? { behaviour: file.cdn } : {}),
        });
        return `${this.cdnBaseUrl}${directory}/${encodeURIComponent(filename)}`;
      },
      defaultAuthorId: this.memberUserId,
    };
  }

  /** The member who acts, with their permissions in the channel, their language and the server's. */
  private invoker(input: InvokerInput, channelId: string, guildId: string): Record<string, unknown> {
    const userId = input.userId ?? this.memberUserId;
    const user = this.users.get(userId) ?? userObject(userId, input.username ?? `user${userId.slice(-4)}`);
    this.users.set(userId, user);
    if (!this.channels.has(channelId)) {
      this.channels.set(channelId, textChannelObject(channelId, guildId, `channel-${channelId.slice(-4)}`));
    }
    const locale = checkLocale(input.locale ?? Locale.EnglishUS);
    const guildLocale = checkLocale(input.guildLocale ?? Locale.EnglishUS);
    const permissions = input.memberPermissions ?? DEFAULT_MEMBER_PERMISSIONS;
    return {
      guild_id: guildId,
      guild: { id: guildId, locale: guildLocale, features: [] },
      channel: this.channels.get(channelId),
      channel_id: channelId,
      member: memberObject(user, input.memberRoles ?? [], new Date().toISOString(), permissions),
      locale,
      guild_locale: guildLocale,
      ...(input.appPermissions === undefined ? {} : { app_permissions: input.appPermissions }),
      ...(input.attachmentSizeLimit === undefined ? {} : { attachment_size_limit: input.attachmentSizeLimit }),
    };
  }

  private buildOption(
    option: SlashOptionInput,
    resolved: Record<string, Record<string, unknown>>,
    channelId: string,
    guildId: string,
  ): Record<string, unknown> {
    const built: Record<string, unknown> = { name: option.name, type: option.type };
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
    if (option.focused) built.focused = true;
    return built;
  }

  /** Reuses the id a deploy gave the command, like Discord, so a router keyed by id also works. */
  private commandIdFor(name: string, type: number, guildId: string): string {
    const registered = [...(this.registeredCommands.guild[guildId] ?? []), ...this.registeredCommands.global] as Array<{
      id: string;
      name: string;
      type?: number;
    }>;
    return registered.find((c) => c.name === name && (c.type ?? ApplicationCommandType.ChatInput) === type)?.id ?? snowflake();
  }
}

const LOCALES: readonly string[] = Object.values(Locale);

/** A typo in a test's locale would only show up as a puzzling translation miss; Discord sends only these. */
function checkLocale(locale: string): string {
  if (!LOCALES.includes(locale)) throw new Error(`fake Discord: ${locale} is not a Discord locale (${LOCALES.join(', ')})`);
  return locale;
}

function customIds(message: Record<string, unknown>): string[] {
  return eachComponent((message.components ?? []) as ComponentJson[]).flatMap((c) => (c.custom_id === undefined ? [] : [c.custom_id]));
}

function pick(from: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => from[key] !== undefined).map((key) => [key, from[key]]));
}
