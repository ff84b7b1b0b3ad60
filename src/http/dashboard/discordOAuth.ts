import { z } from 'zod';

/**
 * Discord's OAuth2 authorization code flow, from the dashboard's side
 * (https://discord.com/developers/docs/topics/oauth2#authorization-code-grant):
 * the authorize URL, the code → token exchange, and the two things the
 * dashboard asks with the member's token: who they are and which servers
 * they are in (with their permissions there). Tokens never leave this
 * process; errors say what happened without them.
 */

export const OAUTH_SCOPES = ['identify', 'guilds'] as const;

export interface DiscordOAuthOptions {
  /** The application id is the OAuth2 client id. */
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  /** https://discord.com: the authorize page is under it, the token endpoint under its /api. */
  oauthBaseUrl: string;
  /** https://discord.com/api (as discord.js gets it): users/@me and users/@me/guilds. */
  apiBaseUrl: string;
  timeoutMs?: number;
}

export interface DiscordUser {
  id: string;
  /** The name people see: the global display name, else the username. */
  name: string;
}

export interface UserGuild {
  id: string;
  name: string;
  owner: boolean;
  /** The member's permissions in the server (roles combined; channel overwrites do not apply). */
  permissions: bigint;
}

export interface GrantedToken {
  accessToken: string;
  expiresAt: number;
}

/** The member's token does not work (any more): they must log in again. */
export class DiscordTokenRejected extends Error {}

/** Discord asked us to slow down, or could not be reached; the page says to try again. */
export class DiscordUnavailable extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number | null = null,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().positive(),
  scope: z.string(),
});

const userResponse = z.object({ id: z.string().regex(/^\d{1,20}$/), username: z.string(), global_name: z.string().nullish() });

const guildsResponse = z.array(
  z.object({
    id: z.string().regex(/^\d{1,20}$/),
    name: z.string(),
    owner: z.boolean().optional(),
    permissions: z.string().regex(/^\d+$/),
  }),
);

/** Discord lists at most 200 servers per page (users/@me/guilds `limit`). */
const GUILDS_PAGE = 200;
const MAX_GUILD_PAGES = 5;

export class DiscordOAuth {
  private readonly timeoutMs: number;

  constructor(private readonly options: DiscordOAuthOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Where "Log in with Discord" sends the browser; `state` comes back with the code. */
  authorizeUrl(state: string): string {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: this.options.clientId,
      scope: OAUTH_SCOPES.join(' '),
      state,
      redirect_uri: this.options.redirectUrl,
      // Someone who authorized the dashboard before is not asked again.
      prompt: 'none',
    });
    return `${this.options.oauthBaseUrl}/oauth2/authorize?${query.toString()}`;
  }

  async exchangeCode(code: string, now: number): Promise<GrantedToken> {
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: this.options.redirectUrl });
    const response = await this.call(`${this.options.oauthBaseUrl}/api/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: this.clientAuthorization() },
      body: body.toString(),
    });
    // 400 invalid_grant: a code used twice, expired, or made for another redirect.
    if (response.status === 400 || response.status === 401) throw new DiscordTokenRejected(`Discord refused the login code (${response.status})`);
    const token = tokenResponse.parse(await this.json(response));
    const granted = token.scope.split(' ');
    if (!OAUTH_SCOPES.every((scope) => granted.includes(scope))) {
      throw new DiscordTokenRejected(`Discord granted the scopes "${token.scope}", not identify and guilds`);
    }
    return { accessToken: token.access_token, expiresAt: now + token.expires_in * 1000 };
  }

  async currentUser(accessToken: string): Promise<DiscordUser> {
    const user = userResponse.parse(await this.json(await this.asUser(accessToken, '/users/@me')));
    return { id: user.id, name: user.global_name || user.username };
  }

  async guilds(accessToken: string): Promise<UserGuild[]> {
    const all: UserGuild[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_GUILD_PAGES; page += 1) {
      const query = new URLSearchParams({ limit: String(GUILDS_PAGE), ...(after ? { after } : {}) });
      const guilds = guildsResponse.parse(await this.json(await this.asUser(accessToken, `/users/@me/guilds?${query.toString()}`)));
      all.push(...guilds.map((guild) => ({ id: guild.id, name: guild.name, owner: guild.owner ?? false, permissions: BigInt(guild.permissions) })));
      if (guilds.length < GUILDS_PAGE) break;
      after = guilds.at(-1)?.id;
    }
    return all;
  }

  /** Logging out ends the token at Discord too; a failure only leaves it to expire. */
  async revoke(accessToken: string): Promise<void> {
    const body = new URLSearchParams({ token: accessToken, token_type_hint: 'access_token' });
    await this.call(`${this.options.oauthBaseUrl}/api/oauth2/token/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: this.clientAuthorization() },
      body: body.toString(),
    });
  }

  private clientAuthorization(): string {
    return `Basic ${Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString('base64')}`;
  }

  private async asUser(accessToken: string, path: string): Promise<Response> {
    const response = await this.call(`${this.options.apiBaseUrl}/v10${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
    if (response.status === 401) throw new DiscordTokenRejected('Discord no longer accepts the member’s token');
    return response;
  }

  private async call(url: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      // The URL may carry nothing secret, but the message stays generic anyway.
      throw new DiscordUnavailable('Discord could not be reached', null, { cause: error });
    }
    if (response.status === 429) {
      const retryAfter = Number(response.headers.get('retry-after'));
      await response.body?.cancel();
      throw new DiscordUnavailable('Discord asked us to slow down', Number.isFinite(retryAfter) ? Math.ceil(retryAfter) : null);
    }
    if (response.status >= 500) {
      await response.body?.cancel();
      throw new DiscordUnavailable(`Discord answered ${response.status}`);
    }
    return response;
  }

  private async json(response: Response): Promise<unknown> {
    if (!response.ok) {
      await response.body?.cancel();
      throw new DiscordUnavailable(`Discord answered ${response.status}`);
    }
    return response.json();
  }
}
