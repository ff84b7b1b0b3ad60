// The fake gateway shards as Discord does: a session that identified with
// `shard: [id, count]` is told only of the guilds on that shard and hears only
// their interactions; DMs go to shard 0; unsharded sessions hear everything.
// Driven by the real discord.js client (and a raw websocket for what it would never send).
import { once } from 'node:events';
import { ChannelType, Client, Events, GatewayIntentBits, InteractionContextType, Partials, type Interaction } from 'discord.js';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { shardOf, startFakeDiscord, type FakeDiscord, type FakeGuild, type InteractionHandle } from '../fakes/fakeDiscord.js';
import { FAKE_BOT_TOKEN } from '../support/fakeDiscordClient.js';

interface ShardBot {
  readonly client: Client;
  /** Guild id (or 'dm') of every interaction this client received. */
  readonly received: string[];
}

describe('fake Discord gateway sharding', () => {
  let fake: FakeDiscord | undefined;
  const clients: Client[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.destroy()));
    await fake?.close();
    fake = undefined;
  });

  /** A discord.js client running `shards` of `shardCount` (none: unsharded); it answers every command with `name`. */
  async function startBot(discord: FakeDiscord, name: string, sharding?: { shards: number[]; shardCount: number }): Promise<ShardBot> {
    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      partials: [Partials.Channel],
      rest: { api: discord.apiBaseUrl, cdn: discord.cdnBaseUrl, offset: 0 },
      ...(sharding ?? {}),
    });
    clients.push(client);
    const received: string[] = [];
    client.on(Events.InteractionCreate, (interaction: Interaction) => {
      received.push(interaction.guildId ?? 'dm');
      if (interaction.isChatInputCommand()) void interaction.reply({ content: `answered by ${name}` });
    });
    const ready = once(client, Events.ClientReady);
    await client.login(FAKE_BOT_TOKEN);
    await ready;
    return { client, received };
  }

  /** Two guilds, one on each shard of two. */
  async function twoShardGuilds(options: Parameters<typeof startFakeDiscord>[0] = {}): Promise<{ discord: FakeDiscord; even: FakeGuild; odd: FakeGuild }> {
    const discord = await startFakeDiscord(options);
    fake = discord;
    return { discord, even: discord.addGuild({ shard: [0, 2], name: 'Even' }), odd: discord.addGuild({ shard: [1, 2], name: 'Odd' }) };
  }

  async function answerOf(discord: FakeDiscord, handle: InteractionHandle): Promise<string> {
    const callback = await handle.waitForEvent((event) => event.kind === 'callback');
    await discord.waitFor(() => handle.originalMessage() as unknown);
    expect(handle.events().filter((event) => event.kind === 'callback')).toHaveLength(1);
    return String(callback.body?.data?.content ?? (handle.originalMessage() as { content?: string }).content);
  }

  it('reports the recommended shard count and identify concurrency in GET /gateway/bot (1 and 1 unless told)', async () => {
    const read = async (discord: FakeDiscord) => {
      const response = await fetch(`${discord.apiBaseUrl}/v10/gateway/bot`, { headers: { Authorization: `Bot ${FAKE_BOT_TOKEN}` } });
      const body = (await response.json()) as { shards: number; session_start_limit: { max_concurrency: number } };
      return [body.shards, body.session_start_limit.max_concurrency];
    };
    fake = await startFakeDiscord();
    expect(await read(fake)).toEqual([1, 1]);
    await fake.close();
    fake = await startFakeDiscord({ recommendedShards: 3, maxConcurrency: 2 });
    expect(await read(fake)).toEqual([3, 2]);
  });

  it('picks guild ids on the shard asked for, as (id >> 22) % count', async () => {
    fake = await startFakeDiscord();
    const ids = [0, 1, 2, 3, 4].flatMap((shard) => [fake!.addGuild({ shard: [shard, 5] }).guildId, fake!.addGuild({ shard: [shard, 5] }).guildId]);
    expect(ids.map((id) => shardOf(id, 5))).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^\d{17,20}$/.test(id))).toBe(true);
  });

  it("tells each shard's session only of its own guilds, in READY and GUILD_CREATE", async () => {
    const { discord, even, odd } = await twoShardGuilds();
    const mainOn = shardOf(discord.guildId, 2);
    const a = await startBot(discord, 'A', { shards: [0], shardCount: 2 });
    const b = await startBot(discord, 'B', { shards: [1], shardCount: 2 });
    const expected = (shard: number) => [...(mainOn === shard ? [discord.guildId] : []), shard === 0 ? even.guildId : odd.guildId].sort();
    expect([...a.client.guilds.cache.keys()].sort()).toEqual(expected(0));
    expect([...b.client.guilds.cache.keys()].sort()).toEqual(expected(1));
    const sessions = discord.gatewaySessions().map((session) => ({ ...session, guildIds: session.guildIds.sort() }));
    expect(sessions).toEqual([
      { shard: [0, 2], ready: true, guildIds: expected(0) },
      { shard: [1, 2], ready: true, guildIds: expected(1) },
    ]);
  });

  it("sends a guild's interaction only to the session of its shard, and a DM to shard 0", async () => {
    const { discord, even, odd } = await twoShardGuilds();
    const a = await startBot(discord, 'A', { shards: [0], shardCount: 2 });
    const b = await startBot(discord, 'B', { shards: [1], shardCount: 2 });

    const inEven = await discord.sendCommand({ name: 'usage', guildId: even.guildId, channelId: even.channelId });
    const inOdd = await discord.sendCommand({ name: 'usage', guildId: odd.guildId, channelId: odd.channelId });
    expect(inEven.dispatchedTo()).toEqual([[0, 2]]);
    expect(inOdd.dispatchedTo()).toEqual([[1, 2]]);
    expect(await answerOf(discord, inEven)).toBe('answered by A');
    expect(await answerOf(discord, inOdd)).toBe('answered by B');

    const dmChannelId = '1400000000000000001';
    const user = { id: discord.memberUserId, username: 'tester', global_name: 'tester', discriminator: '0', avatar: null, bot: false, flags: 0, public_flags: 0 };
    const dm = await discord.sendRawInteraction({
      type: 2,
      data: { id: '1400000000000000002', name: 'usage', type: 1, options: [] },
      guild_id: undefined,
      guild: undefined,
      guild_locale: undefined,
      member: undefined,
      user,
      channel: { id: dmChannelId, type: ChannelType.DM, recipients: [user], flags: 0, last_message_id: null },
      channel_id: dmChannelId,
      context: InteractionContextType.BotDM,
      authorizing_integration_owners: { '1': discord.memberUserId },
    });
    expect(dm.dispatchedTo()).toEqual([[0, 2]]);
    expect(await answerOf(discord, dm)).toBe('answered by A');

    expect(a.received).toEqual([even.guildId, 'dm']);
    expect(b.received).toEqual([odd.guildId]);
  });

  it('holds an interaction until a session of its shard is connected', async () => {
    const { discord, even, odd } = await twoShardGuilds();
    await startBot(discord, 'A', { shards: [0], shardCount: 2 });
    let dispatched: InteractionHandle | undefined;
    const pending = discord.sendCommand({ name: 'usage', guildId: odd.guildId, channelId: odd.channelId }).then((handle) => (dispatched = handle));
    // Shard 0's session is ready, yet the odd guild's interaction waits: nobody hears shard 1.
    expect(await answerOf(discord, await discord.sendCommand({ name: 'usage', guildId: even.guildId, channelId: even.channelId }))).toBe('answered by A');
    expect(dispatched).toBeUndefined();
    await startBot(discord, 'B', { shards: [1], shardCount: 2 });
    expect(await answerOf(discord, await pending)).toBe('answered by B');
  });

  it('lets one client run both shards, each guild on its own shard', async () => {
    // max_concurrency 2: discord.js identifies both shards at once instead of 5 s apart.
    const { discord, even, odd } = await twoShardGuilds({ maxConcurrency: 2 });
    const both = await startBot(discord, 'both', { shards: [0, 1], shardCount: 2 });
    expect(discord.gatewaySessions().map((session) => session.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(both.client.guilds.cache.get(even.guildId)?.shardId).toBe(0);
    expect(both.client.guilds.cache.get(odd.guildId)?.shardId).toBe(1);
    const inOdd = await discord.sendCommand({ name: 'usage', guildId: odd.guildId, channelId: odd.channelId });
    expect(inOdd.dispatchedTo()).toEqual([[1, 2]]);
    expect(await answerOf(discord, inOdd)).toBe('answered by both');
  });

  it('keeps an unsharded session hearing every guild, added ones included', async () => {
    const { discord, even, odd } = await twoShardGuilds();
    const bot = await startBot(discord, 'solo');
    expect(discord.gatewaySessions()).toEqual([{ shard: [0, 1], ready: true, guildIds: [discord.guildId, even.guildId, odd.guildId] }]);
    const late = discord.addGuild({ name: 'Joined later' });
    await discord.waitFor(() => bot.client.guilds.cache.has(late.guildId));
    for (const guild of [even, odd, late]) {
      const handle = await discord.sendCommand({ name: 'usage', guildId: guild.guildId, channelId: guild.channelId });
      expect(handle.dispatchedTo()).toEqual([[0, 1]]);
      expect(await answerOf(discord, handle)).toBe('answered by solo');
    }
  });

  it('keeps a resumed session on the shard it identified as', async () => {
    const { discord, even, odd } = await twoShardGuilds();
    await startBot(discord, 'A', { shards: [0], shardCount: 2 });
    await startBot(discord, 'B', { shards: [1], shardCount: 2 });
    const identifies = discord.identifyCount();
    discord.requestReconnect();
    await discord.waitFor(() => discord.gatewaySessions().filter((session) => session.ready).length === 2 && discord.connectedClients() === 2);
    const inOdd = await discord.sendCommand({ name: 'usage', guildId: odd.guildId, channelId: odd.channelId });
    const inEven = await discord.sendCommand({ name: 'usage', guildId: even.guildId, channelId: even.channelId });
    expect([inOdd.dispatchedTo(), inEven.dispatchedTo()]).toEqual([[[1, 2]], [[0, 2]]]);
    expect(await answerOf(discord, inOdd)).toBe('answered by B');
    expect(await answerOf(discord, inEven)).toBe('answered by A');
    expect(discord.identifyCount()).toBe(identifies);
  });

  it('closes with 4010 Invalid shard when IDENTIFY names a shard at or past its count', async () => {
    fake = await startFakeDiscord();
    for (const shard of [[2, 2], [0, 0], [-1, 2], ['0', 1]]) {
      const socket = new WebSocket(`ws://${fake.attachmentHost}/?v=10&encoding=json`);
      await once(socket, 'message'); // HELLO
      socket.send(JSON.stringify({ op: 2, d: { token: FAKE_BOT_TOKEN, intents: 1, properties: {}, shard } }));
      const [code] = (await once(socket, 'close')) as [number];
      expect(code, `shard ${JSON.stringify(shard)}`).toBe(4010);
    }
    // The fake forgets a refused connection once its side of the close is done.
    await fake.waitFor(() => fake!.gatewaySessions().length === 0);
    expect(fake.identifyCount()).toBe(4);
  });
});
