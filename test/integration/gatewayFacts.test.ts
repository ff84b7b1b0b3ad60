import { afterEach, describe, expect, it } from 'vitest';
import { fetchGatewayFacts } from '../../src/shardLauncher.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fakeDiscord.js';
import { FAKE_DISCORD_TOKEN } from '../support/harness.js';

describe("the shard launcher's GET /gateway/bot", () => {
  let discord: FakeDiscord | undefined;
  afterEach(async () => {
    await discord?.close();
    discord = undefined;
  });

  it('asks the configured API base (not discord.com) for the recommended shard count and identify concurrency', async () => {
    discord = await startFakeDiscord({ recommendedShards: 4, maxConcurrency: 2 });
    expect(await fetchGatewayFacts({ token: FAKE_DISCORD_TOKEN, apiBaseUrl: discord.apiBaseUrl })).toEqual({ recommendedShards: 4, maxConcurrency: 2 });
    const call = discord.calls.find((recorded) => recorded.path.includes('/gateway/bot'));
    expect(call?.headers.authorization).toBe(`Bot ${FAKE_DISCORD_TOKEN}`);
  });

  it('says why it cannot decide how many shards to start when Discord refuses', async () => {
    discord = await startFakeDiscord();
    discord.failNext({ pathIncludes: '/gateway/bot' }, { status: 401, body: { message: '401: Unauthorized', code: 0 } });
    await expect(fetchGatewayFacts({ token: FAKE_DISCORD_TOKEN, apiBaseUrl: discord.apiBaseUrl })).rejects.toThrow(
      "Discord's GET /gateway/bot failed (the token was refused): cannot decide how many shards to start",
    );
    discord.failNext({ pathIncludes: '/gateway/bot' }, { status: 502 });
    await expect(fetchGatewayFacts({ token: FAKE_DISCORD_TOKEN, apiBaseUrl: discord.apiBaseUrl })).rejects.toThrow(/HTTP 502/);
  });
});
