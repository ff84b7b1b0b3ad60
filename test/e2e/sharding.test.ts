import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord, type FakeGuild, type InteractionHandle } from '../fakes/fakeDiscord.js';
import { startFakeFal, type FakeFal } from '../fakes/fakeFal.js';
import { spawnBot, type BotProcess } from '../support/botProcess.js';
import { FAKE_DISCORD_TOKEN, FAKE_FAL_KEY } from '../support/harness.js';
import { createSharedStore, type SharedStore } from '../support/sharedStore.js';

/** A tsx process compiles the bot on start; a launcher starts one of those per shard. */
const START_TIMEOUT_MS = 40_000;

interface LogLine {
  msg: string;
  shards?: number[];
  shardId?: number;
  guildId?: string;
  interactionId?: string;
  [key: string]: unknown;
}

/**
 * The gateway split across processes: each process identifies with its own
 * shard of the fake gateway, is told only of its guilds, and answers only
 * their interactions; the store is shared. Real bot processes (src/main.ts).
 */
describe('sharding (bot processes each running part of the gateway)', () => {
  let discord: FakeDiscord;
  let fal: FakeFal;
  let shared: SharedStore;
  let even: FakeGuild;
  let odd: FakeGuild;
  let bots: BotProcess[] = [];

  async function startFakes(options: Parameters<typeof startFakeDiscord>[0] = {}): Promise<void> {
    discord = await startFakeDiscord(options);
    // One guild on each shard of two, whatever shard the fake's main guild fell on.
    even = discord.addGuild({ shard: [0, 2], name: 'Even' });
    odd = discord.addGuild({ shard: [1, 2], name: 'Odd' });
  }

  beforeEach(async () => {
    fal = await startFakeFal();
    shared = await createSharedStore();
  });
  afterEach(async () => {
    for (const bot of bots) bot.kill('SIGKILL');
    await Promise.all(bots.map((bot) => bot.exited));
    bots = [];
    await discord?.close();
    await fal.close();
    await shared.drop();
  });

  function env(extra: Record<string, string>): Record<string, string> {
    return {
      DISCORD_TOKEN: FAKE_DISCORD_TOKEN,
      DISCORD_APPLICATION_ID: discord.applicationId,
      FAL_KEY: FAKE_FAL_KEY,
      // Processes that run part of the shards share the store and the job queue (scale-out mode).
      ...shared.env,
      DISCORD_API_BASE_URL: discord.apiBaseUrl,
      DISCORD_CDN_BASE_URL: discord.cdnBaseUrl,
      FAL_BASE_URL: fal.baseUrl,
      ATTACHMENT_HOSTS: discord.attachmentHost,
      // Debug: the router's "interaction received" line says which process took which interaction.
      LOG_LEVEL: 'debug',
      ...extra,
    };
  }

  function logOf(bot: BotProcess): LogLine[] {
    return bot.output.flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
  }

  async function waitForLog(bot: BotProcess, predicate: (line: LogLine) => boolean, what: string): Promise<LogLine> {
    return discord.waitFor(() => logOf(bot).find(predicate), START_TIMEOUT_MS).catch((error: unknown) => {
      throw new Error(`${what}: ${String(error)}\n${bot.output.join('\n')}`);
    });
  }

  async function startBot(extra: Record<string, string>): Promise<BotProcess> {
    const bot = spawnBot(env(extra));
    bots.push(bot);
    await waitForLog(bot, (line) => line.msg === 'bot is ready', 'the bot did not get ready');
    return bot;
  }

  async function usageIn(guild: FakeGuild): Promise<InteractionHandle> {
    const handle = await discord.sendCommand({ name: 'usage', guildId: guild.guildId, channelId: guild.channelId });
    await handle.waitForEvent((event) => event.kind === 'callback', START_TIMEOUT_MS);
    return handle;
  }

  /** Interactions a process's router took, by id. */
  function received(bot: BotProcess): string[] {
    return logOf(bot)
      .filter((line) => line.msg === 'interaction received')
      .map((line) => String(line.interactionId));
  }

  it("two processes each own half the shards of the fake gateway and each answers only its own guilds' interactions", async () => {
    await startFakes();
    const a = await startBot({ SHARD_COUNT: '2', SHARD_IDS: '0' });
    const b = await startBot({ SHARD_COUNT: '2', SHARD_IDS: '1' });

    const sessions = discord.gatewaySessions().sort((x, y) => x.shard[0] - y.shard[0]);
    expect(sessions.map((session) => [session.shard, session.ready])).toEqual([
      [[0, 2], true],
      [[1, 2], true],
    ]);
    // Each was told only of the guilds on its shard.
    expect(sessions[0]!.guildIds).toContain(even.guildId);
    expect(sessions[0]!.guildIds).not.toContain(odd.guildId);
    expect(sessions[1]!.guildIds).toContain(odd.guildId);
    expect(sessions[1]!.guildIds).not.toContain(even.guildId);

    const inEven = await usageIn(even);
    const inOdd = await usageIn(odd);
    expect(inEven.dispatchedTo()).toEqual([[0, 2]]);
    expect(inOdd.dispatchedTo()).toEqual([[1, 2]]);
    // Answered exactly once each: one callback, the usage card, and nothing after it.
    await discord.waitFor(() => received(a).includes(inEven.id) && received(b).includes(inOdd.id));
    for (const handle of [inEven, inOdd]) {
      expect(handle.events().map((event) => [event.kind, event.callbackType])).toEqual([['callback', 4]]);
      expect(handle.events()[0]!.body.data.embeds).toHaveLength(1);
    }
    // Each process's log: only its own guild's interaction, every line naming its shard.
    expect(received(a)).toEqual([inEven.id]);
    expect(received(b)).toEqual([inOdd.id]);
    const takenBy = (bot: BotProcess) => logOf(bot).filter((line) => line.msg === 'interaction received');
    expect(takenBy(a).map((line) => [line.guildId, line.shards])).toEqual([[even.guildId, [0]]]);
    expect(takenBy(b).map((line) => [line.guildId, line.shards])).toEqual([[odd.guildId, [1]]]);
  });

  it('SHARD_IDS=auto starts as many shard processes as Discord recommends, each on its own shard and HTTP port, and stops them on SIGTERM', async () => {
    // max_concurrency 2: the two shards may identify at once, so the launcher need not space them 5.5 s apart.
    await startFakes({ recommendedShards: 2, maxConcurrency: 2 });
    const httpPort = await freePortPair();
    const launcher = spawnBot(env({ SHARD_IDS: 'auto', HTTP_PORT: String(httpPort), HTTP_HOST: '127.0.0.1' }));
    bots.push(launcher);
    const starting = await waitForLog(launcher, (line) => line.msg === 'starting 2 shard processes', 'the launcher did not start');
    expect(starting).toMatchObject({ shardCount: 2, recommendedShards: 2, maxConcurrency: 2 });
    await waitForLog(launcher, (line) => line.msg === 'every shard is ready', 'the shards did not get ready');

    // The children write to the launcher's stdout; each says which shard it runs. A child says
    // "bot is ready" after its gateway is ready and its jobs are taken up, which may come after the launcher's line.
    const ready = await discord.waitFor(() => {
      const lines = logOf(launcher).filter((line) => line.msg === 'bot is ready');
      return lines.length >= 2 ? lines : undefined;
    }, START_TIMEOUT_MS);
    expect(ready.map((line) => line.shards).sort()).toEqual([[0], [1]]);
    expect(discord.gatewaySessions().map((session) => session.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    // Shard 0 serves HTTP_PORT, shard 1 the next port.
    for (const port of [httpPort, httpPort + 1]) {
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status, `port ${port}`).toBe(200);
    }
    const inEven = await usageIn(even);
    const inOdd = await usageIn(odd);
    expect([inEven.dispatchedTo(), inOdd.dispatchedTo()]).toEqual([[[0, 2]], [[1, 2]]]);
    const takenBy = logOf(launcher).filter((line) => line.msg === 'interaction received');
    expect(takenBy.map((line) => [line.guildId, line.shards])).toEqual([
      [even.guildId, [0]],
      [odd.guildId, [1]],
    ]);

    launcher.kill('SIGTERM');
    expect(await launcher.exited).toEqual({ code: 0, signal: null });
    expect(logOf(launcher).filter((line) => line.msg === 'shutting down; unfinished jobs will resume on the next start')).toHaveLength(2);
    expect(logOf(launcher).some((line) => line.msg === 'shard process exited; starting it again')).toBe(false);
    await discord.waitFor(() => discord.connectedClients() === 0);
  });

  it('SHARD_IDS=auto with SHARD_COUNT starts that many shard processes, not the recommended number, restarts one that dies, and none outlives the launcher', async () => {
    await startFakes({ recommendedShards: 2 });
    const launcher = spawnBot(env({ SHARD_IDS: 'auto', SHARD_COUNT: '1' }));
    bots.push(launcher);
    await waitForLog(launcher, (line) => line.msg === 'every shard is ready', 'the shard did not get ready');
    expect(logOf(launcher).find((line) => line.msg.startsWith('starting '))).toMatchObject({ msg: 'starting 1 shard process', shardCount: 1, recommendedShards: 2 });
    expect(discord.gatewaySessions().map((session) => session.shard)).toEqual([[0, 1]]);
    // Shard 0 of 1 hears every guild.
    expect((await usageIn(odd)).dispatchedTo()).toEqual([[0, 1]]);

    // A shard process that dies is started again, and identifies anew.
    const started = logOf(launcher).find((line) => line.msg === 'shard process started');
    const identifies = discord.identifyCount();
    process.kill(Number(started?.childPid), 'SIGKILL');
    await waitForLog(launcher, (line) => line.msg === 'shard process exited; starting it again', 'the launcher did not notice');
    await discord.waitFor(() => logOf(launcher).filter((line) => line.msg === 'shard ready').length === 2, START_TIMEOUT_MS);
    expect(discord.identifyCount()).toBe(identifies + 1);
    expect((await usageIn(even)).dispatchedTo()).toEqual([[0, 1]]);

    // A launcher killed outright leaves no shard running unwatched: the child notices and stops.
    launcher.kill('SIGKILL');
    await launcher.exited;
    await discord.waitFor(() => discord.connectedClients() === 0, START_TIMEOUT_MS);
    expect(logOf(launcher).filter((line) => line.msg.startsWith('shutting down'))).toMatchObject([{ signal: 'launcher gone', shards: [0] }]);
  });
});

/** A port p with p + 1 also free, for a launcher whose shards serve HTTP_PORT + their id. */
async function freePortPair(): Promise<number> {
  const listen = (port: number) =>
    new Promise<ReturnType<typeof createServer> | undefined>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  const close = (server: ReturnType<typeof createServer>) => new Promise<void>((resolve) => server.close(() => resolve()));
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const first = await listen(0);
    if (!first) continue;
    const port = (first.address() as { port: number }).port;
    const second = port < 65_535 ? await listen(port + 1) : undefined;
    await close(first);
    if (second) {
      await close(second);
      return port;
    }
  }
  throw new Error('no two free ports in a row on 127.0.0.1');
}
