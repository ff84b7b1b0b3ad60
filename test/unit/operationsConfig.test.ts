import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config.js';

const valid = {
  DISCORD_TOKEN: 'a'.repeat(24) + '.bbbbbb.' + 'c'.repeat(27),
  DISCORD_APPLICATION_ID: '123456789012345678',
  FAL_KEY: 'key-id:key-secret',
};

describe('operations settings', () => {
  it('default to no HTTP server, polling, a 60 s safety poll and 2 minutes of submit retries', () => {
    const config = parseConfig(valid);
    expect(config.http).toEqual({ port: undefined, host: '0.0.0.0' });
    expect(config.webhooks).toEqual({
      publicUrl: undefined,
      jwksUrl: 'https://rest.alpha.fal.ai/.well-known/jwks.json',
      safetyPollMs: 60_000,
    });
    expect(config.submitRetryMs).toBe(120_000);
  });

  it('reads them, dropping a trailing slash from PUBLIC_URL', () => {
    const config = parseConfig({
      ...valid,
      HTTP_PORT: '8080',
      HTTP_HOST: '127.0.0.1',
      PUBLIC_URL: 'https://bot.example.com/',
      FAL_WEBHOOK_JWKS_URL: 'http://127.0.0.1:9/jwks.json',
      FAL_SAFETY_POLL_SECONDS: '30',
      FAL_SUBMIT_RETRY_SECONDS: '0',
    });
    expect(config.http).toEqual({ port: 8080, host: '127.0.0.1' });
    expect(config.webhooks).toEqual({ publicUrl: 'https://bot.example.com', jwksUrl: 'http://127.0.0.1:9/jwks.json', safetyPollMs: 30_000 });
    expect(config.submitRetryMs).toBe(0);
  });

  it('refuses PUBLIC_URL without HTTP_PORT, and a port out of range', () => {
    expect(() => parseConfig({ ...valid, PUBLIC_URL: 'https://bot.example.com' })).toThrow(/PUBLIC_URL needs HTTP_PORT/);
    expect(() => parseConfig({ ...valid, HTTP_PORT: '70000' })).toThrow(ConfigError);
    expect(() => parseConfig({ ...valid, FAL_SAFETY_POLL_SECONDS: '0' })).toThrow(/FAL_SAFETY_POLL_SECONDS/);
  });
});
