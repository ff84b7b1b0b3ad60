import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, parseDeployConfig, secretsOf } from '../../src/config/config.js';

const valid = {
  DISCORD_TOKEN: 'a'.repeat(24) + '.bbbbbb.' + 'c'.repeat(27),
  DISCORD_APPLICATION_ID: '123456789012345678',
  FAL_KEY: 'key-id:key-secret',
};

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('fills every default from the three required settings', () => {
    const config = parseConfig(valid);
    expect(config.databaseUrl).toBe('./data/animate.sqlite');
    expect(config.discord.apiBaseUrl).toBe('https://discord.com/api');
    expect(config.fal.baseUrl).toBeUndefined();
    expect(config.attachmentHosts).toEqual(['cdn.discordapp.com', 'media.discordapp.net']);
    expect(config.pollIntervalMs).toBe(3000);
    expect(config.defaults).toEqual({ resolution: '1080p', duration: '5' });
    expect(config.priceCentsPerSecond).toEqual({ '480p': 5, '720p': 10, '1080p': 15 });
  });

  it('names every missing required setting on its own line', () => {
    const problems = problemsOf({});
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/DISCORD_TOKEN/);
    expect(problems.join('\n')).toMatch(/DISCORD_APPLICATION_ID/);
    expect(problems.join('\n')).toMatch(/FAL_KEY/);
  });

  it('takes FFMPEG_PATH only as an absolute path, and PATH as the search path for ffmpeg', () => {
    expect(parseConfig(valid).ffmpeg).toEqual({ path: undefined, searchPath: undefined });
    expect(parseConfig({ ...valid, FFMPEG_PATH: '/opt/ffmpeg/bin/ffmpeg', PATH: '/usr/bin:/bin' }).ffmpeg).toEqual({
      path: '/opt/ffmpeg/bin/ffmpeg',
      searchPath: '/usr/bin:/bin',
    });
    expect(problemsOf({ ...valid, FFMPEG_PATH: 'ffmpeg' })).toEqual(['FFMPEG_PATH must be an absolute path to the ffmpeg binary']);
  });

  it('treats blank values as unset', () => {
    const config = parseConfig({ ...valid, FAL_BASE_URL: '  ', LOG_LEVEL: '' });
    expect(config.fal.baseUrl).toBeUndefined();
    expect(config.logLevel).toBe('info');
  });

  it('rejects malformed values with a readable reason', () => {
    const problems = problemsOf({
      ...valid,
      DISCORD_APPLICATION_ID: 'my-app',
      FAL_BASE_URL: 'ftp://x',
      POLL_INTERVAL_MS: '-5',
      DEFAULT_RESOLUTION: '4k',
      ATTACHMENT_HOSTS: 'good.host, bad host',
    });
    expect(problems.some((p) => p.startsWith('DISCORD_APPLICATION_ID') && p.includes('snowflake'))).toBe(true);
    expect(problems.some((p) => p.startsWith('FAL_BASE_URL'))).toBe(true);
    expect(problems.some((p) => p.startsWith('POLL_INTERVAL_MS'))).toBe(true);
    expect(problems.some((p) => p.startsWith('DEFAULT_RESOLUTION'))).toBe(true);
    expect(problems.some((p) => p.startsWith('ATTACHMENT_HOSTS'))).toBe(true);
  });

  it('points at .env.example in the error text', () => {
    expect(() => parseConfig({})).toThrow(/\.env\.example/);
  });

  it('parses host lists, base URLs and the price table', () => {
    const config = parseConfig({
      ...valid,
      ATTACHMENT_HOSTS: 'CDN.example.com, 127.0.0.1:4000',
      FAL_BASE_URL: 'http://127.0.0.1:8787/',
      PRICE_CENTS_PER_SECOND: '{"480p":4,"720p":8,"1080p":12}',
      JOB_MAX_WAIT_SECONDS: '60',
    });
    expect(config.attachmentHosts).toEqual(['cdn.example.com', '127.0.0.1:4000']);
    expect(config.fal.baseUrl).toBe('http://127.0.0.1:8787');
    expect(config.priceCentsPerSecond['1080p']).toBe(12);
    expect(config.jobMaxWaitMs).toBe(60_000);
  });

  it('rejects a price table that is not JSON', () => {
    expect(problemsOf({ ...valid, PRICE_CENTS_PER_SECOND: '15 cents' }).join()).toMatch(/PRICE_CENTS_PER_SECOND/);
  });
});

describe('quota settings', () => {
  it('default to safe operator values, with money in integer cents', () => {
    expect(parseConfig(valid).quota).toEqual({
      globalDailyBudgetCents: 5000,
      maxGuildBudgetCents: 100_000,
      allowedGuildIds: [],
      adminRoleIds: [],
      defaults: {
        budgetCents: 1000,
        budgetPeriod: 'month',
        memberClipsPerDay: 5,
        memberCooldownSeconds: 0,
        memberConcurrentJobs: 2,
        guildConcurrentJobs: 5,
        allowedResolutions: ['480p', '720p', '1080p'],
        maxDurationSeconds: 10,
        audioAllowed: true,
      },
    });
  });

  it('parses dollars to cents without float drift, and the lists', () => {
    const { quota } = parseConfig({
      ...valid,
      GLOBAL_DAILY_BUDGET_USD: '0.29',
      DEFAULT_GUILD_BUDGET_USD: '12.345',
      DEFAULT_GUILD_BUDGET_PERIOD: 'week',
      DEFAULT_MEMBER_CLIPS_PER_DAY: '0',
      DEFAULT_ALLOWED_RESOLUTIONS: '480p, 720p',
      DEFAULT_AUDIO_ALLOWED: 'false',
      ALLOWED_GUILD_IDS: '123456789012345678, 223456789012345678',
      QUOTA_ADMIN_ROLE_IDS: '323456789012345678',
    });
    expect(quota.globalDailyBudgetCents).toBe(29);
    expect(quota.defaults.budgetCents).toBe(1235);
    expect(quota.defaults.budgetPeriod).toBe('week');
    expect(quota.defaults.memberClipsPerDay).toBe(0);
    expect(quota.defaults.allowedResolutions).toEqual(['480p', '720p']);
    expect(quota.defaults.audioAllowed).toBe(false);
    expect(quota.allowedGuildIds).toEqual(['123456789012345678', '223456789012345678']);
    expect(quota.adminRoleIds).toEqual(['323456789012345678']);
  });

  it('names each bad quota setting on its own line', () => {
    const problems = problemsOf({
      ...valid,
      GLOBAL_DAILY_BUDGET_USD: '-1',
      DEFAULT_GUILD_BUDGET_USD: 'ten',
      DEFAULT_GUILD_BUDGET_PERIOD: 'year',
      DEFAULT_MEMBER_CLIPS_PER_DAY: '2.5',
      DEFAULT_ALLOWED_RESOLUTIONS: '4k',
      ALLOWED_GUILD_IDS: 'my-server',
    });
    for (const name of ['GLOBAL_DAILY_BUDGET_USD', 'DEFAULT_GUILD_BUDGET_USD', 'DEFAULT_GUILD_BUDGET_PERIOD', 'DEFAULT_MEMBER_CLIPS_PER_DAY', 'DEFAULT_ALLOWED_RESOLUTIONS', 'ALLOWED_GUILD_IDS']) {
      expect(problems.filter((p) => p.startsWith(name)), name).toHaveLength(1);
    }
    expect(problems.find((p) => p.startsWith('DEFAULT_GUILD_BUDGET_PERIOD'))).toContain('day, week or month');
    expect(problems.find((p) => p.startsWith('GLOBAL_DAILY_BUDGET_USD'))).toContain('0 or more');
    // A value that is there but wrong is not "required".
    expect(problems.find((p) => p.startsWith('DEFAULT_GUILD_BUDGET_USD'))).toBe('DEFAULT_GUILD_BUDGET_USD must be an amount of US dollars, like 12.50');
    expect(problems.find((p) => p.startsWith('ALLOWED_GUILD_IDS'))).toContain('comma-separated list of Discord ids');
  });
});

describe('the dashboard settings', () => {
  const dashboard = { DISCORD_CLIENT_SECRET: 'client-secret-0123456789', SESSION_SECRET: 's'.repeat(32) };

  it('leave the dashboard off without a client secret', () => {
    expect(parseConfig(valid).dashboard).toBeNull();
  });

  it('derive the redirect from PUBLIC_URL, with Secure cookies behind https, and count as secrets', () => {
    const config = parseConfig({ ...valid, ...dashboard, PUBLIC_URL: 'https://bot.example.org/', HTTP_PORT: '8080' });
    expect(config.dashboard).toEqual({
      clientSecret: dashboard.DISCORD_CLIENT_SECRET,
      redirectUrl: 'https://bot.example.org/dashboard/auth/callback',
      oauthBaseUrl: 'https://discord.com',
      sessionSecret: dashboard.SESSION_SECRET,
      secureCookies: true,
    });
    expect(secretsOf(config)).toEqual(expect.arrayContaining([dashboard.DISCORD_CLIENT_SECRET, dashboard.SESSION_SECRET]));
    const local = parseConfig({ ...valid, ...dashboard, DASHBOARD_REDIRECT_URL: 'http://127.0.0.1:8080/dashboard/auth/callback', PUBLIC_URL: 'https://x.example', HTTP_PORT: '8080' });
    expect(local.dashboard).toMatchObject({ redirectUrl: 'http://127.0.0.1:8080/dashboard/auth/callback', secureCookies: false });
  });

  it('name each missing or bad one on its own line', () => {
    expect(problemsOf({ ...valid, DISCORD_CLIENT_SECRET: dashboard.DISCORD_CLIENT_SECRET })).toEqual([
      'DASHBOARD_REDIRECT_URL (or PUBLIC_URL) is required when DISCORD_CLIENT_SECRET is set',
      'SESSION_SECRET is required when DISCORD_CLIENT_SECRET is set',
    ]);
    const problems = problemsOf({ ...valid, ...dashboard, SESSION_SECRET: 'short', DASHBOARD_REDIRECT_URL: 'https://bot.example.org/login' });
    expect(problems.find((p) => p.startsWith('SESSION_SECRET'))).toContain('at least 32 characters');
    expect(problems.find((p) => p.startsWith('DASHBOARD_REDIRECT_URL'))).toContain('must end with /dashboard/auth/callback');
  });
});

describe('parseDeployConfig', () => {
  it('needs only the Discord settings', () => {
    const { FAL_KEY: _unused, ...discordOnly } = valid;
    expect(parseDeployConfig(discordOnly).applicationId).toBe(valid.DISCORD_APPLICATION_ID);
  });
});
