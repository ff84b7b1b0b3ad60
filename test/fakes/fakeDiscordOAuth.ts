// The fake Discord's OAuth2 side and what a web dashboard reads: the authorize
// page (which "clicks Authorize" for the user a test chose), the token and
// revoke endpoints, users/@me and users/@me/guilds with a user's Bearer token,
// and, with the bot's token, its own server list, member lookups and a
// server's channels and roles. Shapes and error codes are Discord's
// (https://discord.com/developers/docs/topics/oauth2, …/resources/user,
// …/resources/guild). Hooked into fakeDiscordRest.ts as its `extraRoutes`.
import { randomBytes } from 'node:crypto';
import { ChannelType, PermissionFlagsBits } from 'discord.js';
import { DEFAULT_MEMBER_PERMISSIONS, snowflake, textChannelObject, userObject } from './fakeDiscordPayloads.js';
import type { ExtraRouteRequest, FakeResponse } from './fakeDiscordRest.js';

export interface FakeGuildInput {
  id?: string;
  name: string;
  /** Whether the bot is a member (it is, unless a test says otherwise). */
  botPresent?: boolean;
}

export interface MembershipInput {
  /** The member's permissions in the server, as users/@me/guilds reports them; default: an ordinary member's. */
  permissions?: bigint | string;
  roles?: string[];
  owner?: boolean;
  nick?: string;
}

export interface FakeChannelInput {
  id?: string;
  name: string;
  /** Discord's channel type; default a text channel. */
  type?: number;
}

export interface FakeDiscordOAuth {
  readonly clientId: string;
  /** The only client secret the token endpoint accepts. */
  readonly clientSecret: string;
  /** Who presses "Authorize" on the authorize page from now on. */
  authorizeAs(userId: string): void;
  /** The next visit to the authorize page ends with error=access_denied (the person pressed Cancel). */
  denyNext(): void;
  addUser(input?: { id?: string; username?: string; globalName?: string }): string;
  /** A server besides the fake's own ('Fake Guild', where the bot always is). */
  addGuild(input: FakeGuildInput): string;
  addChannel(guildId: string, input: FakeChannelInput): string;
  addRole(guildId: string, name: string, id?: string): string;
  /** Makes (or changes) the user's membership: permissions, roles, ownership. */
  join(userId: string, guildId: string, membership?: MembershipInput): void;
  leave(userId: string, guildId: string): void;
  setBotPresent(guildId: string, present: boolean): void;
  /** Every access token of the user stops working (401), as when they deauthorize the app. */
  revokeTokensOf(userId: string): void;
  /** Requests the OAuth2 side answered, for assertions ("the second page asked Discord again"). */
  readonly requests: Array<{ method: string; path: string; auth: 'bearer' | 'bot' | 'client' | 'none' }>;
  /** Tokens the token endpoint handed out and has not seen revoked. */
  liveTokens(): string[];
}

export interface FakeOAuthDeps {
  applicationId: string;
  botUserId: string;
  botRoleId: string;
  mainGuild: { id: string; name: string };
  /** The fake's users and channels, shared with the rest of it. */
  users: Map<string, Record<string, unknown>>;
  channels: Map<string, Record<string, unknown>>;
}

interface GuildState {
  id: string;
  name: string;
  botPresent: boolean;
  roles: Array<{ id: string; name: string; managed: boolean; position: number }>;
  members: Map<string, { permissions: bigint; roles: string[]; owner: boolean; nick: string | null; joinedAt: string }>;
}

interface Grant {
  userId: string;
  scopes: string[];
  redirectUri: string;
  expiresAt: number;
}

/** Recognisable, so tests can prove it never reaches a page or a log line. */
export const FAKE_OAUTH_CLIENT_SECRET = 'fake-oauth-client-secret.SECRET-5e4d3c2b1a09';

const CODE_LIFETIME_MS = 10 * 60_000;
const TOKEN_LIFETIME_SECONDS = 604_800;

const errors = {
  unauthorized: { status: 401, body: { message: '401: Unauthorized', code: 0 } },
  missingAccess: { status: 403, body: { message: 'Missing Access', code: 50001 } },
  unknownMember: { status: 404, body: { message: 'Unknown Member', code: 10007 } },
  unknownGuild: { status: 404, body: { message: 'Unknown Guild', code: 10004 } },
  invalidGrant: { status: 400, body: { error: 'invalid_grant' } },
  invalidClient: { status: 401, body: { error: 'invalid_client' } },
} satisfies Record<string, FakeResponse>;

export class FakeDiscordOAuthRoutes implements FakeDiscordOAuth {
  readonly clientId: string;
  readonly clientSecret = FAKE_OAUTH_CLIENT_SECRET;
  readonly requests: FakeDiscordOAuth['requests'] = [];
  private readonly guilds = new Map<string, GuildState>();
  private readonly codes = new Map<string, Grant>();
  private readonly tokens = new Map<string, Grant>();
  private authorizingUser: string | undefined;
  private denyNextAuthorize = false;

  constructor(private readonly deps: FakeOAuthDeps) {
    this.clientId = deps.applicationId;
    const main: GuildState = {
      id: deps.mainGuild.id,
      name: deps.mainGuild.name,
      botPresent: true,
      roles: [
        { id: deps.mainGuild.id, name: '@everyone', managed: false, position: 0 },
        { id: deps.botRoleId, name: 'Animate Bot', managed: true, position: 1 },
      ],
      members: new Map(),
    };
    main.members.set(deps.botUserId, { permissions: 0n, roles: [deps.botRoleId], owner: false, nick: null, joinedAt: new Date().toISOString() });
    this.guilds.set(main.id, main);
  }

  authorizeAs(userId: string): void {
    this.authorizingUser = userId;
  }

  denyNext(): void {
    this.denyNextAuthorize = true;
  }

  addUser(input: { id?: string; username?: string; globalName?: string } = {}): string {
    const id = input.id ?? snowflake();
    const username = input.username ?? `user${id.slice(-4)}`;
    this.deps.users.set(id, { ...userObject(id, username), global_name: input.globalName ?? username });
    return id;
  }

  addGuild(input: FakeGuildInput): string {
    const id = input.id ?? snowflake();
    this.guilds.set(id, {
      id,
      name: input.name,
      botPresent: input.botPresent ?? true,
      roles: [{ id, name: '@everyone', managed: false, position: 0 }],
      members: new Map(),
    });
    this.addChannel(id, { name: 'general' });
    return id;
  }

  addChannel(guildId: string, input: FakeChannelInput): string {
    const id = input.id ?? snowflake();
    this.deps.channels.set(id, { ...textChannelObject(id, guildId, input.name), type: input.type ?? ChannelType.GuildText });
    return id;
  }

  addRole(guildId: string, name: string, id = snowflake()): string {
    const guild = this.guild(guildId);
    guild.roles.push({ id, name, managed: false, position: guild.roles.length });
    return id;
  }

  join(userId: string, guildId: string, membership: MembershipInput = {}): void {
    const guild = this.guild(guildId);
    const existing = guild.members.get(userId);
    guild.members.set(userId, {
      permissions: BigInt(membership.permissions ?? existing?.permissions ?? DEFAULT_MEMBER_PERMISSIONS),
      roles: membership.roles ?? existing?.roles ?? [],
      owner: membership.owner ?? existing?.owner ?? false,
      nick: membership.nick ?? existing?.nick ?? null,
      joinedAt: existing?.joinedAt ?? new Date().toISOString(),
    });
  }

  leave(userId: string, guildId: string): void {
    this.guild(guildId).members.delete(userId);
  }

  setBotPresent(guildId: string, present: boolean): void {
    this.guild(guildId).botPresent = present;
  }

  revokeTokensOf(userId: string): void {
    for (const [token, grant] of this.tokens) if (grant.userId === userId) this.tokens.delete(token);
  }

  liveTokens(): string[] {
    return [...this.tokens.keys()];
  }

  /** Answers the requests this module owns; undefined lets the rest of the fake answer. */
  route(req: ExtraRouteRequest): FakeResponse | undefined {
    const auth = authOf(req.headers.authorization);
    const api = /^\/api(?:\/v\d+)?(\/.*)$/.exec(req.path)?.[1];
    const answer = this.answer(req, api, auth);
    if (answer) this.requests.push({ method: req.method, path: req.path, auth: auth.kind });
    return answer;
  }

  private answer(req: ExtraRouteRequest, api: string | undefined, auth: Auth): FakeResponse | undefined {
    if (req.method === 'GET' && req.path === '/oauth2/authorize') return this.authorize(req.query);
    if (api === undefined) return undefined;
    if (req.method === 'POST' && api === '/oauth2/token') return this.token(req, auth);
    if (req.method === 'POST' && api === '/oauth2/token/revoke') return this.revoke(req, auth);
    if (req.method !== 'GET') return undefined;
    // The bot's own users/@me stays with the rest of the fake; a Bearer token is a person's.
    if (api === '/users/@me' && auth.kind === 'bearer') return this.withGrant(auth, 'identify', (grant) => ({ status: 200, body: this.deps.users.get(grant.userId) }));
    if (api === '/users/@me/guilds' && auth.kind === 'bearer') return this.withGrant(auth, 'guilds', (grant) => ({ status: 200, body: this.userGuilds(grant.userId, req.query) }));
    if (api === '/users/@me/guilds' && auth.kind === 'bot') return { status: 200, body: this.botGuilds(req.query) };
    const member = /^\/guilds\/(\d+)\/members\/(\d+)$/.exec(api);
    if (member) return this.asBot(auth, member[1]!, (guild) => this.member(guild, member[2]!));
    const channels = /^\/guilds\/(\d+)\/channels$/.exec(api);
    if (channels) return this.asBot(auth, channels[1]!, (guild) => ({ status: 200, body: this.channelsOf(guild.id) }));
    const roles = /^\/guilds\/(\d+)\/roles$/.exec(api);
    if (roles) return this.asBot(auth, roles[1]!, (guild) => ({ status: 200, body: guild.roles.map(roleObject) }));
    return undefined;
  }

  // ---- the authorization code flow ------------------------------------------------

  private authorize(query: Record<string, string>): FakeResponse {
    const redirectUri = query.redirect_uri;
    if (query.client_id !== this.clientId || query.response_type !== 'code' || !redirectUri) {
      return { status: 400, headers: { 'content-type': 'text/plain' }, body: 'fake Discord: invalid authorize request' };
    }
    const target = new URL(redirectUri);
    if (query.state !== undefined) target.searchParams.set('state', query.state);
    if (this.denyNextAuthorize) {
      this.denyNextAuthorize = false;
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'The resource owner or authorization server denied the request');
      return { status: 302, headers: { location: target.toString() } };
    }
    if (this.authorizingUser === undefined) {
      return { status: 400, headers: { 'content-type': 'text/plain' }, body: 'fake Discord: no user is logged in to authorize (call oauth.authorizeAs)' };
    }
    const code = randomBytes(15).toString('base64url');
    this.codes.set(code, {
      userId: this.authorizingUser,
      scopes: (query.scope ?? '').split(' ').filter(Boolean),
      redirectUri,
      expiresAt: Date.now() + CODE_LIFETIME_MS,
    });
    target.searchParams.set('code', code);
    return { status: 302, headers: { location: target.toString() } };
  }

  private token(req: ExtraRouteRequest, auth: Auth): FakeResponse {
    const form = formOf(req.body);
    const client = auth.kind === 'client' ? auth : { id: form.client_id, secret: form.client_secret };
    if (client.id !== this.clientId || client.secret !== this.clientSecret) return errors.invalidClient;
    if (form.grant_type !== 'authorization_code' || !form.code) return errors.invalidGrant;
    const grant = this.codes.get(form.code);
    // A code works once, for ten minutes, with the redirect it was made for.
    this.codes.delete(form.code);
    if (!grant || grant.expiresAt < Date.now() || grant.redirectUri !== form.redirect_uri) return errors.invalidGrant;
    const accessToken = randomBytes(24).toString('base64url');
    this.tokens.set(accessToken, { ...grant, expiresAt: Date.now() + TOKEN_LIFETIME_SECONDS * 1000 });
    return {
      status: 200,
      body: {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: TOKEN_LIFETIME_SECONDS,
        refresh_token: randomBytes(24).toString('base64url'),
        scope: grant.scopes.join(' '),
      },
    };
  }

  private revoke(req: ExtraRouteRequest, auth: Auth): FakeResponse {
    const form = formOf(req.body);
    const client = auth.kind === 'client' ? auth : { id: form.client_id, secret: form.client_secret };
    if (client.id !== this.clientId || client.secret !== this.clientSecret) return errors.invalidClient;
    if (form.token) this.tokens.delete(form.token);
    return { status: 200, body: {} };
  }

  private withGrant(auth: Auth, scope: string, answer: (grant: Grant) => FakeResponse): FakeResponse {
    const grant = auth.kind === 'bearer' ? this.tokens.get(auth.token) : undefined;
    if (!grant || grant.expiresAt < Date.now()) return errors.unauthorized;
    if (!grant.scopes.includes(scope)) return { status: 403, body: { message: 'Missing Access', code: 50001 } };
    return answer(grant);
  }

  // ---- what a person and the bot may read ---------------------------------------------

  private userGuilds(userId: string, query: Record<string, string>) {
    const guilds = [...this.guilds.values()].filter((guild) => guild.members.has(userId));
    return page(guilds, query).map((guild) => {
      const member = guild.members.get(userId)!;
      const permissions = member.owner ? allPermissions() : member.permissions;
      return { id: guild.id, name: guild.name, icon: null, banner: null, owner: member.owner, permissions: permissions.toString(), features: [], approximate_member_count: guild.members.size };
    });
  }

  private botGuilds(query: Record<string, string>) {
    const guilds = [...this.guilds.values()].filter((guild) => guild.botPresent);
    return page(guilds, query).map((guild) => ({ id: guild.id, name: guild.name, icon: null, banner: null, owner: false, permissions: '0', features: [] }));
  }

  private asBot(auth: Auth, guildId: string, answer: (guild: GuildState) => FakeResponse): FakeResponse {
    if (auth.kind !== 'bot') return errors.unauthorized;
    const guild = this.guilds.get(guildId);
    if (!guild) return errors.unknownGuild;
    if (!guild.botPresent) return errors.missingAccess;
    return answer(guild);
  }

  private member(guild: GuildState, userId: string): FakeResponse {
    const member = guild.members.get(userId);
    const user = this.deps.users.get(userId);
    if (!member || !user) return errors.unknownMember;
    return {
      status: 200,
      body: { user, nick: member.nick, avatar: null, roles: member.roles, joined_at: member.joinedAt, premium_since: null, deaf: false, mute: false, pending: false, flags: 0 },
    };
  }

  private channelsOf(guildId: string): Array<Record<string, unknown>> {
    return [...this.deps.channels.values()].filter((channel) => channel.guild_id === guildId && channel.type !== ChannelType.PublicThread);
  }

  private guild(guildId: string): GuildState {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`fake Discord: no guild ${guildId} (add it with oauth.addGuild)`);
    return guild;
  }
}

type Auth = { kind: 'bearer'; token: string } | { kind: 'bot'; token: string } | { kind: 'client'; id: string; secret: string } | { kind: 'none' };

function authOf(header: string | undefined): Auth {
  if (header?.startsWith('Bearer ')) return { kind: 'bearer', token: header.slice('Bearer '.length) };
  if (header?.startsWith('Bot ')) return { kind: 'bot', token: header.slice('Bot '.length) };
  if (header?.startsWith('Basic ')) {
    const [id = '', secret = ''] = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8').split(':');
    return { kind: 'client', id, secret };
  }
  return { kind: 'none' };
}

function formOf(body: unknown): Record<string, string> {
  return typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : {};
}

/** `limit` (default 200) and `after` (an id), by id order, as Discord pages server lists. */
function page<T extends { id: string }>(items: T[], query: Record<string, string>): T[] {
  const limit = Math.min(200, Number(query.limit ?? 200));
  const after = query.after === undefined ? undefined : BigInt(query.after);
  return items
    .filter((item) => after === undefined || BigInt(item.id) > after)
    .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
    .slice(0, limit);
}

function roleObject(role: { id: string; name: string; managed: boolean; position: number }) {
  return {
    id: role.id,
    name: role.name,
    permissions: '0',
    position: role.position,
    color: 0,
    hoist: false,
    managed: role.managed,
    mentionable: false,
    icon: null,
    unicode_emoji: null,
    flags: 0,
  };
}

function allPermissions(): bigint {
  return Object.values(PermissionFlagsBits).reduce((all, flag) => all | flag, 0n);
}
