// The HTTP side of the fake Discord: REST routes under /api/v10, the CDN under
// /attachments, recording of every request, injected failures and expired
// tokens. Error bodies and codes are Discord's, so the bot's error mapping
// meets what it will meet in production.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationCommandType, ChannelType, InteractionResponseType, InteractionType, MessageFlags, MessageType } from 'discord.js';
import type { InteractionEvent, RecordedDiscordCall } from './fakeDiscordRecords.js';
import {
  TokenBucket,
  flattenHeaders,
  parseRequestBody,
  rateLimitHeaders,
  readRequestBytes,
  type ParsedBody,
  type UploadedFile,
} from './fakeDiscordHttp.js';
import { withComponentIds, type ComponentJson } from './fakeDiscordComponents.js';
import { DEFAULT_ATTACHMENT_SIZE_LIMIT, applyMessageEdit, messageObject, snowflake, type FakeAttachment, type MessageInit } from './fakeDiscordPayloads.js';
import { FormErrors, checkCommandList, checkMessage, checkModal, isEmptyMessage } from './fakeDiscordValidation.js';

export interface InteractionState {
  id: string;
  token: string;
  channelId: string;
  guildId: string | undefined;
  payload: Record<string, unknown>;
  dispatchedAt: number;
  acknowledged: boolean;
  originalMessageId?: string;
  /** Original response and follow-ups: the messages this token may edit. */
  messageIds: Set<string>;
  events: InteractionEvent[];
  /** The gateway sessions (by shard) the INTERACTION_CREATE was sent to. */
  dispatchedTo: Array<readonly [number, number]>;
  /** The modal the bot answered with (type 9), ids filled in as Discord keeps them for the submit. */
  modal?: RecordedModal;
}

export interface RecordedModal {
  custom_id: string;
  title: string;
  components: ComponentJson[];
}

export interface HostedFile {
  bytes: Buffer;
  contentType: string | undefined;
  behaviour?: CdnBehaviour;
}

/** How the fake CDN serves one file, to play a broken or hostile host. Default: the bytes at once, with Content-Length. */
export interface CdnBehaviour {
  /** Answer `302 Location: <redirectTo>` instead of the bytes. */
  redirectTo?: string;
  /** Send the bytes `chunkBytes` at a time every `intervalMs`, without Content-Length. */
  drip?: { chunkBytes: number; intervalMs: number };
  /** Send the bytes, then zeros for as long as the client keeps reading, without Content-Length. */
  endless?: boolean;
  /** Send the bytes without Content-Length (chunked), so only what arrives tells the size. */
  omitContentLength?: boolean;
}

type StreamBody = (res: ServerResponse) => void;

interface InjectedFailure {
  match: { method?: string; pathIncludes: string };
  response: { status: number; body?: unknown; retryAfterSeconds?: number };
  remaining: number;
}

export interface RestDeps {
  server: Server;
  ids: { applicationId: string; botUserId: string; guildId: string };
  gatewayUrl: string;
  /** What `GET /gateway/bot` recommends and allows: `shards` and `session_start_limit.max_concurrency`. */
  gatewayBot: { shards: number; maxConcurrency: number };
  latencyMs: number;
  callbackDeadlineMs: number;
  calls: RecordedDiscordCall[];
  channelMessages: Array<{ channelId: string; messageId: string; body: unknown; files: UploadedFile[]; at: number }>;
  registeredCommands: { global: unknown[]; guild: Record<string, unknown[]> };
  interactions: Map<string, InteractionState>;
  /** By decoded path: `/attachments/…` for uploads, `/external/…` for the media proxy behind embeds. */
  cdnFiles: Map<string, HostedFile>;
  users: Map<string, Record<string, unknown>>;
  channels: Map<string, Record<string, unknown>>;
  hostFile: (file: { filename: string; bytes: Buffer; contentType?: string }, channelId: string) => FakeAttachment;
  /** Routes kept in modules of their own (OAuth2 and the dashboard's reads: fakeDiscordOAuth.ts), asked first. */
  extraRoutes?: (req: ExtraRouteRequest) => FakeResponse | undefined;
}

/** What a route module outside this file sees of a request: the full decoded path (not only under /api/v10). */
export interface ExtraRouteRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
}

interface FakeRequest extends ParsedBody {
  method: string;
  /** Decoded path after `/api/v10`, e.g. `/webhooks/APP/TOKEN/messages/@original`. */
  route: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type RouteHandler = (req: FakeRequest, params: string[]) => FakeResponse;

// Discord's own error bodies (https://discord.com/developers/docs/topics/opcodes-and-status-codes#json).
const errors = {
  unknownRoute: { status: 404, body: { message: 'Unknown route', code: 0 } },
  unauthorized: { status: 401, body: { message: '401: Unauthorized', code: 0 } },
  unknownApplication: { status: 404, body: { message: 'Unknown Application', code: 10002 } },
  unknownChannel: { status: 404, body: { message: 'Unknown Channel', code: 10003 } },
  unknownMessage: { status: 404, body: { message: 'Unknown Message', code: 10008 } },
  unknownUser: { status: 404, body: { message: 'Unknown User', code: 10013 } },
  unknownWebhook: { status: 404, body: { message: 'Unknown Webhook', code: 10015 } },
  unknownInteraction: { status: 404, body: { message: 'Unknown interaction', code: 10062 } },
  alreadyAcknowledged: { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } },
  invalidWebhookToken: { status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } },
  emptyMessage: { status: 400, body: { message: 'Cannot send an empty message', code: 50006 } },
  requestEntityTooLarge: { status: 413, body: { message: 'Request entity too large', code: 40005 } },
} satisfies Record<string, FakeResponse>;

const API_PREFIX = '/api/v10';

export class FakeDiscordRest {
  readonly messages = new Map<string, Record<string, unknown>>();
  readonly injectedFailures: InjectedFailure[] = [];
  readonly expiredTokens = new Set<string>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly dmChannelByUser = new Map<string, string>();
  private readonly routes: Array<{ method: string; pattern: RegExp; handler: RouteHandler; botAuth: boolean }> = [];

  constructor(private readonly deps: RestDeps) {
    const on = (method: string, pattern: RegExp, handler: RouteHandler, botAuth = true) =>
      this.routes.push({ method, pattern, handler: handler.bind(this), botAuth });
    // Interaction and webhook routes authenticate by token in the URL: discord.js sends no Authorization (PROTOCOLS.md §4).
    on('POST', /^\/interactions\/(\d+)\/([^/]+)\/callback$/, this.callback, false);
    on('POST', /^\/webhooks\/(\d+)\/([^/]+)$/, this.followUp, false);
    on('GET', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/, this.getWebhookMessage, false);
    on('PATCH', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/, this.editWebhookMessage, false);
    on('DELETE', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/, this.deleteWebhookMessage, false);
    on('GET', /^\/gateway(?:\/bot)?$/, this.gatewayBot);
    on('GET', /^\/users\/@me$/, () => ({ status: 200, body: this.deps.users.get(this.deps.ids.botUserId) }));
    on('GET', /^\/users\/(\d+)$/, (_req, [id]) => this.found(this.deps.users.get(id!), errors.unknownUser));
    on('POST', /^\/users\/@me\/channels$/, this.createDm);
    on('GET', /^\/channels\/(\d+)$/, (_req, [id]) => this.found(this.deps.channels.get(id!), errors.unknownChannel));
    on('POST', /^\/channels\/(\d+)\/messages$/, this.createChannelMessage);
    on('GET', /^\/channels\/(\d+)\/messages\/(\d+)$/, (_req, [, id]) => this.found(this.messages.get(id!), errors.unknownMessage));
    on('PATCH', /^\/channels\/(\d+)\/messages\/(\d+)$/, this.editChannelMessage);
    on('DELETE', /^\/channels\/(\d+)\/messages\/(\d+)$/, (_req, [, id]) =>
      this.messages.delete(id!) ? { status: 204 } : errors.unknownMessage,
    );
    on('PUT', /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/, this.putCommands);
    on('GET', /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/, this.getCommands);
    deps.server.on('request', (req, res) => void this.onRequest(req, res));
  }

  createMessage(init: Omit<MessageInit, 'id'>): Record<string, unknown> {
    const message = messageObject({ id: snowflake(), ...init });
    this.messages.set(String(message.id), message);
    return message;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const path = safeDecode(url.pathname);
    const call: RecordedDiscordCall = {
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      headers: flattenHeaders(req),
      body: undefined,
      files: [],
      status: 0,
      at: Date.now(),
    };
    let answer: FakeResponse;
    let bytes: Buffer | undefined;
    let stream: StreamBody | undefined;
    try {
      const parsed = await parseRequestBody(req.headers['content-type'], await readRequestBytes(req));
      call.body = parsed.body;
      call.files = parsed.files;
      if (this.deps.latencyMs > 0) await sleep(this.deps.latencyMs);
      const injected = this.injectedFailure(call);
      const route = path.startsWith(`${API_PREFIX}/`) ? path.slice(API_PREFIX.length) : undefined;
      const extra = injected ? undefined : this.deps.extraRoutes?.({ method: call.method, path, query: call.query, headers: call.headers, body: parsed.body });
      if (injected) answer = injected;
      else if (extra) answer = json(extra);
      else if (path.startsWith('/attachments/') || path.startsWith('/external/')) ({ answer, bytes, stream } = this.cdn(path));
      else if (route === undefined) answer = json(errors.unknownRoute);
      else answer = this.route({ ...parsed, method: call.method, route, query: call.query, headers: call.headers });
    } catch (error) {
      // A bug in the fake (or a body it cannot parse) must fail the test loudly, not hang it.
      answer = { status: 500, body: { message: `fake Discord failed: ${String(error)}`, code: 0 } };
    }
    call.status = answer.status;
    // Recorded before answering, so a test that awaited the response always finds its call.
    this.deps.calls.push(call);
    res.writeHead(answer.status, answer.headers);
    if (stream && req.method !== 'HEAD') stream(res);
    else if (bytes) res.end(req.method === 'HEAD' ? undefined : bytes);
    else if (answer.body === undefined || answer.status === 204) res.end();
    else res.end(JSON.stringify(answer.body));
  }

  private route(req: FakeRequest): FakeResponse {
    for (const { method, pattern, handler, botAuth } of this.routes) {
      const match = method === req.method ? pattern.exec(req.route) : null;
      if (!match) continue;
      if (botAuth && !req.headers.authorization?.startsWith('Bot ')) return json(errors.unauthorized);
      return json(handler(req, match.slice(1)));
    }
    return json(errors.unknownRoute);
  }

  private injectedFailure(call: RecordedDiscordCall): FakeResponse | undefined {
    const failure = this.injectedFailures.find(
      (f) => (!f.match.method || f.match.method.toUpperCase() === call.method) && call.path.includes(f.match.pathIncludes),
    );
    if (!failure) return undefined;
    failure.remaining -= 1;
    if (failure.remaining <= 0) this.injectedFailures.splice(this.injectedFailures.indexOf(failure), 1);
    const { status, body, retryAfterSeconds = 1 } = failure.response;
    if (status !== 429) return json({ status, body: body ?? { message: 'Injected failure', code: 0 } });
    const limited = tooManyRequests(retryAfterSeconds, rateLimitHeaders('injected', 1, 0, retryAfterSeconds, Date.now()));
    return json(body === undefined ? limited : { ...limited, body });
  }

  private cdn(path: string): { answer: FakeResponse; bytes?: Buffer; stream?: StreamBody } {
    const file = this.deps.cdnFiles.get(path);
    if (!file) {
      // Discord's CDN answers a dead link with this text, not JSON.
      return { answer: { status: 404, headers: { 'content-type': 'text/plain' } }, bytes: Buffer.from('This content is no longer available.') };
    }
    const { bytes, behaviour = {} } = file;
    const contentType = { 'content-type': file.contentType ?? 'application/octet-stream' };
    if (behaviour.redirectTo !== undefined) {
      return { answer: { status: 302, headers: { location: behaviour.redirectTo, 'content-length': '0' } } };
    }
    if (behaviour.drip) return { answer: { status: 200, headers: contentType }, stream: drip(bytes, behaviour.drip) };
    if (behaviour.endless) return { answer: { status: 200, headers: contentType }, stream: endless(bytes) };
    if (behaviour.omitContentLength) return { answer: { status: 200, headers: contentType }, stream: (res) => res.end(bytes) };
    return { answer: { status: 200, headers: { ...contentType, 'content-length': String(bytes.length) } }, bytes };
  }

  // ---- interactions and their webhook -------------------------------------------------

  private callback(req: FakeRequest, [id, token]: string[]): FakeResponse {
    const state = this.deps.interactions.get(token!);
    if (!state || state.id !== id || this.expiredTokens.has(token!)) return errors.unknownInteraction;
    // Too late (PROTOCOLS.md §3: 3 s) reads as "Unknown interaction", the error bots see in production.
    if (Date.now() - state.dispatchedAt > this.deps.callbackDeadlineMs) return errors.unknownInteraction;
    if (state.acknowledged) return errors.alreadyAcknowledged;
    const body = req.body as { type: number; data?: Record<string, unknown> };
    // A refused answer acknowledges nothing: the bot may still answer properly in time.
    const invalid = this.checkCallback(state, body, req.files.length > 0) ?? overUploadLimit(state, req);
    if (invalid) return invalid;
    state.acknowledged = true;
    const data = body.data ?? {};
    let message: Record<string, unknown> | undefined;
    switch (body.type) {
      case InteractionResponseType.ChannelMessageWithSource:
      case InteractionResponseType.DeferredChannelMessageWithSource:
        message = this.createInteractionMessage(state);
        applyMessageEdit(message, data, this.hostUploads(req, state.channelId), false);
        // A deferred reply shows "Bot is thinking…" until its first edit.
        if (body.type === InteractionResponseType.DeferredChannelMessageWithSource) {
          message.flags = Number(data.flags ?? 0) | MessageFlags.Loading;
        }
        break;
      case InteractionResponseType.DeferredMessageUpdate:
      case InteractionResponseType.UpdateMessage: {
        // A component's "original" is the message the component sits on.
        const clicked = state.payload.message as Record<string, unknown> | undefined;
        if (!clicked) break;
        message = this.messages.get(String(clicked.id)) ?? { ...clicked };
        this.messages.set(String(message.id), message);
        if (body.type === InteractionResponseType.UpdateMessage) {
          applyMessageEdit(message, data, this.hostUploads(req, state.channelId), true);
        }
        break;
      }
      case InteractionResponseType.Modal:
        // The member sees the form; the submit will echo its layout with these ids.
        state.modal = {
          custom_id: String(data.custom_id),
          title: String(data.title),
          components: withComponentIds((data.components as unknown[]) ?? []),
        };
        break;
      default:
        // Autocomplete (8) creates no message.
        break;
    }
    if (message) {
      state.originalMessageId = String(message.id);
      state.messageIds.add(state.originalMessageId);
    }
    state.events.push({ kind: 'callback', callbackType: body.type, body, files: req.files, at: Date.now() });
    if (req.query.with_response !== 'true') return { status: 204 };
    const flags = Number(message?.flags ?? 0);
    return {
      status: 200,
      body: {
        interaction: {
          id: state.id,
          type: state.payload.type,
          response_message_id: message?.id,
          response_message_loading: (flags & MessageFlags.Loading) !== 0,
          response_message_ephemeral: (flags & MessageFlags.Ephemeral) !== 0,
        },
        resource: { type: body.type, ...(message ? { message } : {}) },
      },
    };
  }

  /**
   * The answers Discord takes depend on the interaction (6 and 7 only where a
   * message was clicked, no modal in answer to a modal), and the body must pass
   * its form rules.
   */
  private checkCallback(state: InteractionState, body: { type?: unknown; data?: unknown }, hasFiles: boolean): FakeResponse | undefined {
    const problems = new FormErrors();
    const allowed = allowedCallbackTypes(state.payload);
    if (typeof body?.type !== 'number' || !allowed.includes(body.type)) {
      problems.add(['type'], 'INTERACTION_CALLBACK_TYPE_INVALID', `Value must be one of {${allowed.join(', ')}} for this interaction.`);
      return problems.response();
    }
    switch (body.type) {
      case InteractionResponseType.ChannelMessageWithSource:
        checkMessage(problems, ['data'], body.data);
        if (problems.empty && isEmptyMessage(body.data, hasFiles)) return errors.emptyMessage;
        break;
      case InteractionResponseType.UpdateMessage: {
        const clicked = state.payload.message as { id?: unknown; flags?: unknown } | undefined;
        checkMessage(problems, ['data'], body.data, isComponentsV2(this.messages.get(String(clicked?.id)) ?? clicked));
        break;
      }
      case InteractionResponseType.Modal:
        checkModal(body.data, problems);
        break;
      default:
        break;
    }
    return problems.response();
  }

  private followUp(req: FakeRequest, [appId, token]: string[]): FakeResponse {
    const checked = this.checkWebhook(appId!, token!);
    if ('status' in checked) return checked;
    const { state, headers } = checked;
    const invalid = checkNewMessage(req) ?? overUploadLimit(state, req);
    if (invalid) return { ...invalid, headers };
    const message = this.createInteractionMessage(state);
    applyMessageEdit(message, (req.body ?? {}) as Record<string, unknown>, this.hostUploads(req, state.channelId), false);
    state.messageIds.add(String(message.id));
    state.events.push({ kind: 'followup', body: req.body, files: req.files, messageId: String(message.id), at: Date.now() });
    return req.query.wait === 'true' ? { status: 200, body: message, headers } : { status: 204, headers };
  }

  private getWebhookMessage(_req: FakeRequest, [appId, token, messageRef]: string[]): FakeResponse {
    const checked = this.checkWebhookMessage(appId!, token!, messageRef!);
    if ('status' in checked) return checked;
    return { status: 200, body: checked.message, headers: checked.headers };
  }

  private editWebhookMessage(req: FakeRequest, [appId, token, messageRef]: string[]): FakeResponse {
    const checked = this.checkWebhookMessage(appId!, token!, messageRef!);
    if ('status' in checked) return checked;
    const { state, message, headers } = checked;
    const invalid = checkEdit(req, message) ?? overUploadLimit(state, req);
    if (invalid) return { ...invalid, headers };
    applyMessageEdit(message, (req.body ?? {}) as Record<string, unknown>, this.hostUploads(req, state.channelId), true);
    state.events.push({ kind: 'edit', body: req.body, files: req.files, messageId: messageRef!, at: Date.now() });
    return { status: 200, body: message, headers };
  }

  private deleteWebhookMessage(req: FakeRequest, [appId, token, messageRef]: string[]): FakeResponse {
    const checked = this.checkWebhookMessage(appId!, token!, messageRef!);
    if ('status' in checked) return checked;
    const { state, message, headers } = checked;
    this.messages.delete(String(message.id));
    state.messageIds.delete(String(message.id));
    state.events.push({ kind: 'delete', body: req.body, files: [], messageId: messageRef!, at: Date.now() });
    return { status: 204, headers };
  }

  /** The checks Discord makes before any webhook call: right app, live token, acknowledged interaction, bucket not empty. */
  private checkWebhook(appId: string, token: string): FakeResponse | { state: InteractionState; headers: Record<string, string> } {
    if (this.expiredTokens.has(token)) return errors.invalidWebhookToken;
    const state = this.deps.interactions.get(token);
    // Until the interaction is acknowledged its webhook does not exist yet.
    if (appId !== this.deps.ids.applicationId || !state?.acknowledged) return errors.unknownWebhook;
    let bucket = this.buckets.get(token);
    if (!bucket) this.buckets.set(token, (bucket = new TokenBucket()));
    const { limited, headers } = bucket.take(Date.now());
    if (limited) return tooManyRequests(Number(headers['x-ratelimit-reset-after']), headers);
    return { state, headers };
  }

  private checkWebhookMessage(appId: string, token: string, messageRef: string) {
    const checked = this.checkWebhook(appId, token);
    if ('status' in checked) return checked;
    const messageId = messageRef === '@original' ? checked.state.originalMessageId : messageRef;
    const message = messageId && checked.state.messageIds.has(messageId) ? this.messages.get(messageId) : undefined;
    if (!message) return { ...errors.unknownMessage, headers: checked.headers };
    return { ...checked, message };
  }

  private createInteractionMessage(state: InteractionState): Record<string, unknown> {
    const data = state.payload.data as { type?: number } | undefined;
    const isCommand = state.payload.type === InteractionType.ApplicationCommand;
    const isSlash = data?.type === ApplicationCommandType.ChatInput;
    const user = (state.payload.member as { user?: unknown } | undefined)?.user ?? state.payload.user;
    const message = this.createMessage({
      channelId: state.channelId,
      guildId: state.guildId,
      author: this.deps.users.get(this.deps.ids.botUserId)!,
      type: !isCommand ? MessageType.Default : isSlash ? MessageType.ChatInputCommand : MessageType.ContextMenuCommand,
      webhookId: this.deps.ids.applicationId,
      applicationId: this.deps.ids.applicationId,
    });
    const clicked = state.payload.message as { id?: unknown } | undefined;
    message.interaction_metadata = {
      id: state.id,
      type: state.payload.type,
      user,
      authorizing_integration_owners: state.payload.authorizing_integration_owners,
      // A reply to a click names the message that was clicked.
      ...(state.payload.type === InteractionType.MessageComponent && clicked ? { interacted_message_id: String(clicked.id) } : {}),
    };
    return message;
  }

  /** Uploads become attachments hosted on the fake CDN, so a test can download what the bot delivered. */
  private hostUploads(req: FakeRequest, channelId: string): Map<string, FakeAttachment> {
    const declared = ((req.body as { attachments?: Array<{ id: string | number; filename?: string }> } | undefined)?.attachments ?? []);
    const hosted = new Map<string, FakeAttachment>();
    for (const [index, file] of req.filesByIndex) {
      const filename = declared.find((a) => String(a.id) === index)?.filename ?? file.name;
      const contentType = file.contentType ? { contentType: file.contentType } : {};
      hosted.set(index, this.deps.hostFile({ filename, bytes: file.bytes, ...contentType }, channelId));
    }
    return hosted;
  }

  // ---- bot-token routes ---------------------------------------------------------------

  private gatewayBot(): FakeResponse {
    return {
      status: 200,
      body: {
        url: this.deps.gatewayUrl,
        shards: this.deps.gatewayBot.shards,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: this.deps.gatewayBot.maxConcurrency },
      },
    };
  }

  private createDm(req: FakeRequest): FakeResponse {
    const recipientId = String((req.body as { recipient_id?: unknown } | undefined)?.recipient_id);
    const recipient = this.deps.users.get(recipientId);
    if (!recipient) return errors.unknownUser;
    let channelId = this.dmChannelByUser.get(recipientId);
    if (!channelId) {
      channelId = snowflake();
      this.dmChannelByUser.set(recipientId, channelId);
      const dm = { id: channelId, type: ChannelType.DM, recipients: [recipient], last_message_id: null, flags: 0 };
      this.deps.channels.set(channelId, dm);
    }
    return { status: 200, body: this.deps.channels.get(channelId) };
  }

  private createChannelMessage(req: FakeRequest, [channelId]: string[]): FakeResponse {
    const channel = this.deps.channels.get(channelId!);
    if (!channel) return errors.unknownChannel;
    const invalid = checkNewMessage(req);
    if (invalid) return invalid;
    const message = this.createMessage({
      channelId: channelId!,
      guildId: typeof channel.guild_id === 'string' ? channel.guild_id : undefined,
      author: this.deps.users.get(this.deps.ids.botUserId)!,
    });
    applyMessageEdit(message, (req.body ?? {}) as Record<string, unknown>, this.hostUploads(req, channelId!), false);
    this.deps.channelMessages.push({ channelId: channelId!, messageId: String(message.id), body: req.body, files: req.files, at: Date.now() });
    return { status: 200, body: message };
  }

  private editChannelMessage(req: FakeRequest, [channelId, messageId]: string[]): FakeResponse {
    const message = this.messages.get(messageId!);
    if (!message || message.channel_id !== channelId) return errors.unknownMessage;
    const invalid = checkEdit(req, message);
    if (invalid) return invalid;
    applyMessageEdit(message, (req.body ?? {}) as Record<string, unknown>, this.hostUploads(req, channelId!), true);
    return { status: 200, body: message };
  }

  /**
   * PUT replaces the whole list, as a deploy script expects; a command keeps
   * its id across deploys (same name and type). Context-menu commands come
   * back with an empty description and no options, as Discord stores them.
   */
  private putCommands(req: FakeRequest, [appId, guildId]: string[]): FakeResponse {
    if (appId !== this.deps.ids.applicationId) return errors.unknownApplication;
    const invalid = checkCommandList(req.body ?? []);
    if (invalid) return invalid;
    const previous = this.commandList(guildId) as Array<{ id: string; name: string; type: number }>;
    const commands = ((req.body ?? []) as Array<Record<string, unknown>>).map((command) => {
      const type = typeof command.type === 'number' ? command.type : ApplicationCommandType.ChatInput;
      return {
        id: previous.find((p) => p.name === command.name && p.type === type)?.id ?? snowflake(),
        application_id: appId,
        version: snowflake(),
        default_member_permissions: null,
        nsfw: false,
        ...(type === ApplicationCommandType.ChatInput ? { options: [] } : {}),
        ...command,
        type,
        description: command.description ?? '',
        ...(guildId ? { guild_id: guildId } : {}),
      };
    });
    if (guildId) this.deps.registeredCommands.guild[guildId] = commands;
    else this.deps.registeredCommands.global = commands;
    return { status: 200, body: commands };
  }

  private getCommands(_req: FakeRequest, [appId, guildId]: string[]): FakeResponse {
    if (appId !== this.deps.ids.applicationId) return errors.unknownApplication;
    return { status: 200, body: this.commandList(guildId) };
  }

  private commandList(guildId: string | undefined): unknown[] {
    return guildId ? (this.deps.registeredCommands.guild[guildId] ?? []) : this.deps.registeredCommands.global;
  }

  private found(body: unknown, notFound: FakeResponse): FakeResponse {
    return body === undefined ? notFound : { status: 200, body };
  }
}

/** Which answers Discord takes for each kind of interaction (receiving-and-responding#interaction-callback-type). */
function allowedCallbackTypes(payload: Record<string, unknown>): number[] {
  const {
    ChannelMessageWithSource: reply,
    DeferredChannelMessageWithSource: defer,
    DeferredMessageUpdate: deferUpdate,
    UpdateMessage: update,
    Modal: modal,
    ApplicationCommandAutocompleteResult: autocomplete,
  } = InteractionResponseType;
  switch (payload.type) {
    case InteractionType.ApplicationCommand:
      return [reply, defer, modal];
    case InteractionType.MessageComponent:
      return [reply, defer, deferUpdate, update, modal];
    case InteractionType.ModalSubmit:
      // A modal opened from a button may update that button's message.
      return payload.message ? [reply, defer, deferUpdate, update] : [reply, defer];
    case InteractionType.ApplicationCommandAutocomplete:
      return [autocomplete];
    default:
      return [];
  }
}

function isComponentsV2(message: { flags?: unknown } | undefined): boolean {
  return (Number(message?.flags ?? 0) & MessageFlags.IsComponentsV2) !== 0;
}

/** A follow-up or channel message: form rules, and something to show. */
function checkNewMessage(req: FakeRequest): FakeResponse | undefined {
  const problems = new FormErrors();
  checkMessage(problems, [], req.body);
  return problems.response() ?? (isEmptyMessage(req.body, req.files.length > 0) ? errors.emptyMessage : undefined);
}

/** A file over the interaction's `attachment_size_limit` is refused, as Discord refuses it (40005). */
function overUploadLimit(state: InteractionState, req: FakeRequest): FakeResponse | undefined {
  const limit = Number(state.payload.attachment_size_limit ?? DEFAULT_ATTACHMENT_SIZE_LIMIT);
  return req.files.some((file) => file.bytes.length > limit) ? errors.requestEntityTooLarge : undefined;
}

function checkEdit(req: FakeRequest, message: Record<string, unknown>): FakeResponse | undefined {
  const problems = new FormErrors();
  checkMessage(problems, [], req.body, isComponentsV2(message));
  return problems.response();
}

function json(response: FakeResponse): FakeResponse {
  if (response.body === undefined) return response;
  return { ...response, headers: { 'content-type': 'application/json', ...response.headers } };
}

/**
 * A 429 as Discord sends it: an empty bucket until `Retry-After` (seconds,
 * fractions allowed), which discord.js waits out before retrying by itself.
 */
function tooManyRequests(retryAfterSeconds: number, bucketHeaders: Record<string, string>): FakeResponse {
  return {
    status: 429,
    body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: false },
    headers: { ...bucketHeaders, 'retry-after': String(retryAfterSeconds), 'x-ratelimit-scope': 'user' },
  };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** A slow host: a few bytes at a time, so only a deadline on the whole download ends it. */
function drip(bytes: Buffer, { chunkBytes, intervalMs }: { chunkBytes: number; intervalMs: number }): StreamBody {
  return (res) => {
    let offset = 0;
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      if (offset >= bytes.length) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(bytes.subarray(offset, (offset += chunkBytes)));
    }, intervalMs);
    res.on('close', () => clearInterval(timer));
  };
}

/** A body that never ends: only a byte cap (or the client hanging up) stops it. */
function endless(bytes: Buffer): StreamBody {
  return (res) => {
    const zeros = Buffer.alloc(64 * 1024);
    res.write(bytes);
    const pump = () => {
      while (!res.destroyed && res.write(zeros));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  };
}
