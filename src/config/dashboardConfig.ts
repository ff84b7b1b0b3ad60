import { z } from 'zod';

/**
 * The moderators' dashboard's settings: a part of the config's schema of its
 * own (config.ts spreads DASHBOARD_ENV into it), so the dashboard is off until
 * the operator gives it an OAuth2 client secret, and then everything it needs
 * is checked at start-up like every other setting.
 */

/** Where Discord sends the member back after "Authorize"; the dashboard serves it (src/http/dashboard). */
export const DASHBOARD_CALLBACK_PATH = '/dashboard/auth/callback';

const httpUrl = z
  .string()
  .url('must be a URL')
  .refine((value) => /^https?:\/\//.test(value), 'must start with http:// or https://')
  .transform((value) => value.replace(/\/+$/, ''));

export const DASHBOARD_ENV = {
  /** The address members reach the bot's HTTP server at, e.g. https://bot.example.org. */
  PUBLIC_URL: httpUrl.optional(),
  DISCORD_CLIENT_SECRET: z.string().trim().min(16, 'is too short to be an OAuth2 client secret').optional(),
  DASHBOARD_REDIRECT_URL: httpUrl
    .refine((value) => new URL(value).pathname.endsWith(DASHBOARD_CALLBACK_PATH), `must end with ${DASHBOARD_CALLBACK_PATH}`)
    .optional(),
  /** Where the authorize page and the token endpoint are: tests point it at the fake Discord. */
  DISCORD_OAUTH_BASE_URL: httpUrl.default('https://discord.com'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. the output of `openssl rand -hex 32`)').optional(),
};

type DashboardEnv = z.infer<z.ZodObject<typeof DASHBOARD_ENV>>;

export interface DashboardConfig {
  /** The application's OAuth2 client secret (secret). The client id is the application id. */
  clientSecret: string;
  /** Registered in the developer portal (OAuth2 → Redirects); must be exactly this URL. */
  redirectUrl: string;
  oauthBaseUrl: string;
  /** Signs the session and CSRF cookies (secret). */
  sessionSecret: string;
  /** Cookies are marked Secure when the dashboard is reached over https. */
  secureCookies: boolean;
}

/**
 * The dashboard's part of the parsed environment: null (the dashboard is off)
 * without DISCORD_CLIENT_SECRET; otherwise every other setting it needs must
 * be there, each missing one a problem line of its own.
 */
export function dashboardConfigFrom(env: DashboardEnv): { dashboard: DashboardConfig | null; problems: string[] } {
  if (env.DISCORD_CLIENT_SECRET === undefined) return { dashboard: null, problems: [] };
  const problems: string[] = [];
  const redirectUrl = env.DASHBOARD_REDIRECT_URL ?? (env.PUBLIC_URL === undefined ? undefined : `${env.PUBLIC_URL}${DASHBOARD_CALLBACK_PATH}`);
  if (redirectUrl === undefined) problems.push('DASHBOARD_REDIRECT_URL (or PUBLIC_URL) is required when DISCORD_CLIENT_SECRET is set');
  if (env.SESSION_SECRET === undefined) problems.push('SESSION_SECRET is required when DISCORD_CLIENT_SECRET is set');
  if (redirectUrl === undefined || env.SESSION_SECRET === undefined) return { dashboard: null, problems };
  return {
    dashboard: {
      clientSecret: env.DISCORD_CLIENT_SECRET,
      redirectUrl,
      oauthBaseUrl: env.DISCORD_OAUTH_BASE_URL,
      sessionSecret: env.SESSION_SECRET,
      secureCookies: redirectUrl.startsWith('https://'),
    },
    problems,
  };
}
