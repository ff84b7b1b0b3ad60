// Proves the fake Discord is faithful enough for the real discord.js 14: a
// client logs in through it, receives slash commands, answers them, and meets
// rate limits and expired tokens the way it would against Discord.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ApplicationCommandOptionType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fakeDiscord.js';

const PNG_BYTES = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('fake Discord driven by the real discord.js client', () => {
  let fake: FakeDiscord;
  let client: Client;
  /** Each test sets how the "bot" answers; the client and its session are shared. */
  let onCommand: (interaction: ChatInputCommandInteraction) => Promise<void> = async () => {};
  const handlerErrors: unknown[] = [];

  beforeAll(async () => {
    fake = await startFakeDiscord();
    client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: fake.apiBaseUrl, cdn: fake.cdnBaseUrl, offset: 0 },
    });
    client.on(Events.InteractionCreate, (interaction: Interaction) => {
      if (!interaction.isChatInputCommand()) return;
      onCommand(interaction).catch((error: unknown) => handlerErrors.push(error));
    });
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login('fake-bot-token-0123456789abcdef');
    await ready;
  });

  afterEach(() => {
    onCommand = async () => {};
    expect(handlerErrors).toEqual([]);
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
  });

  it('logs the client in with one identify and caches the guild', () => {
    expect(fake.identifyCount()).toBe(1);
    expect(fake.connectedClients()).toBe(1);
    expect(client.user?.id).toBe(fake.botUserId);
    const guild = client.guilds.cache.get(fake.guildId);
    expect(guild?.channels.cache.has(fake.channelId)).toBe(true);
    expect(guild?.members.cache.has(fake.memberUserId)).toBe(true);
    expect(guild?.roles.everyone.id).toBe(fake.guildId);
  });

  it('records a defer and an edit with the uploaded file, and serves the attachment option from its CDN', async () => {
    let seen: { url: string; appCanAttach: boolean; sizeLimit: number; channelId: string; cached: boolean } | undefined;
    onCommand = async (interaction) => {
      const image = interaction.options.getAttachment('image', true);
      seen = {
        url: image.url,
        appCanAttach: interaction.appPermissions.has('AttachFiles'),
        sizeLimit: interaction.attachmentSizeLimit,
        channelId: interaction.channelId,
        cached: interaction.inCachedGuild(),
      };
      await interaction.deferReply();
      await interaction.editReply({ content: 'hi', files: [{ attachment: Buffer.from('abc'), name: 'a.mp4' }] });
    };

    const handle = await fake.sendCommand({
      name: 'animate',
      options: [
        { name: 'image', type: ApplicationCommandOptionType.Attachment, attachment: { filename: 'cat.png', bytes: PNG_BYTES, contentType: 'image/png', width: 512, height: 512 } },
        { name: 'prompt', type: ApplicationCommandOptionType.String, value: 'the cat waves' },
      ],
    });

    const edit = await handle.waitForEvent((e) => e.kind === 'edit');
    expect(handle.events()[0]).toMatchObject({ kind: 'callback', callbackType: 5 });
    expect(edit.body.content).toBe('hi');
    expect(edit.files).toHaveLength(1);
    expect(edit.files[0]?.name).toBe('a.mp4');
    expect(edit.files[0]?.bytes.toString()).toBe('abc');
    expect(fake.calls.filter((c) => c.status === 429)).toEqual([]);

    expect(seen).toMatchObject({ appCanAttach: true, sizeLimit: 10 * 1024 * 1024, channelId: fake.channelId, cached: true });
    expect(new URL(seen!.url).host).toBe(fake.attachmentHost);
    const download = await fetch(seen!.url);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PNG_BYTES);

    // The delivered video is hosted too, so a test can download what the member would see.
    const delivered = handle.originalMessage().attachments[0];
    expect(Buffer.from(await (await fetch(delivered.url)).arrayBuffer()).toString()).toBe('abc');
  });

  it('lets discord.js wait out an injected 429 and still land the edit', async () => {
    fake.failNext({ method: 'PATCH', pathIncludes: '/messages/@original' }, { status: 429, retryAfterSeconds: 0.2 });
    onCommand = async (interaction) => {
      await interaction.deferReply();
      await interaction.editReply({ content: 'after the rate limit' });
    };

    const handle = await fake.sendCommand({ name: 'animate' });

    const edit = await handle.waitForEvent((e) => e.kind === 'edit');
    expect(edit.body.content).toBe('after the rate limit');
    const patches = fake.calls.filter((c) => c.method === 'PATCH' && c.path.includes(handle.token));
    expect(patches.map((c) => c.status)).toEqual([429, 200]);
    expect(patches[1]!.at - patches[0]!.at).toBeGreaterThanOrEqual(180);
  });

  it('makes editReply reject with DiscordAPIError 50027 once the token expired', async () => {
    let captured: ChatInputCommandInteraction | undefined;
    onCommand = async (interaction) => {
      captured = interaction;
      await interaction.deferReply();
    };

    const handle = await fake.sendCommand({ name: 'animate' });
    await handle.waitForEvent((e) => e.kind === 'callback');
    fake.expireToken(handle.token);

    const late = captured!.editReply({ content: 'too late' });
    await expect(late).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(late).rejects.toMatchObject({ code: 50027, status: 401 });
    expect(handle.events().filter((e) => e.kind === 'edit')).toEqual([]);
  });

  it('answers a second acknowledgement with 40060, as Discord does', async () => {
    let second: Promise<unknown> | undefined;
    onCommand = async (interaction) => {
      await interaction.deferReply();
      // Bypass discord.js's own "already replied" guard to reach the API.
      second = client.rest
        .post(`/interactions/${interaction.id}/${interaction.token}/callback`, { body: { type: 5 }, auth: false })
        .catch((error: unknown) => error);
    };

    const handle = await fake.sendCommand({ name: 'animate' });
    await fake.waitFor(() => second !== undefined);

    expect(await second).toMatchObject({ code: 40060, status: 400 });
    expect(handle.events().filter((e) => e.kind === 'callback')).toHaveLength(1);
  });

  it('stores deployed commands with ids and reuses the id in later interactions', async () => {
    let commandId: string | undefined;
    onCommand = async (interaction) => {
      commandId = interaction.commandId;
      await interaction.reply({ content: 'ok', flags: 'Ephemeral' });
    };

    const deployed = await client.application!.commands.set([{ name: 'animate', description: 'Animate a picture' }], fake.guildId);
    const stored = fake.registeredCommands.guild[fake.guildId] as Array<{ id: string; name: string }>;
    expect(stored.map((c) => c.name)).toEqual(['animate']);
    expect(deployed.first()?.id).toBe(stored[0]!.id);

    const handle = await fake.sendCommand({ name: 'animate' });
    await handle.waitForEvent((e) => e.kind === 'callback' && e.callbackType === 4);
    expect(commandId).toBe(stored[0]!.id);
    expect(handle.originalMessage()).toMatchObject({ content: 'ok', flags: 64 });
  });

  it('delivers a DM with a file through the bot-token routes', async () => {
    const user = await client.users.fetch(fake.memberUserId);
    await user.send({ content: 'your video', files: [{ attachment: Buffer.from('mp4'), name: 'v.mp4' }] });

    const dm = fake.calls.find((c) => c.method === 'POST' && c.path.endsWith('/users/@me/channels'));
    expect(dm?.headers.authorization).toBe('Bot fake-bot-token-0123456789abcdef');
    expect(fake.channelMessages).toHaveLength(1);
    expect(fake.channelMessages[0]).toMatchObject({ body: { content: 'your video' } });
    expect(fake.channelMessages[0]!.files[0]!.bytes.toString()).toBe('mp4');
  });

  it('answers unknown routes with 404 and records them', async () => {
    const response = await fetch(`${fake.apiBaseUrl}/v10/guilds/${fake.guildId}/bans`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Unknown route', code: 0 });
    expect(fake.calls.at(-1)).toMatchObject({ method: 'GET', status: 404 });
  });

  it('lets the client resume after a gateway reconnect request without identifying again', async () => {
    const resumed = new Promise<void>((resolve) => client.once(Events.ShardResume, () => resolve()));
    fake.requestReconnect();
    await resumed;
    expect(fake.identifyCount()).toBe(1);

    onCommand = async (interaction) => {
      await interaction.reply({ content: 'still here' });
    };
    const handle = await fake.sendCommand({ name: 'animate' });
    await handle.waitForEvent((e) => e.kind === 'callback');
  });

});

describe('fake Discord answer deadline', () => {
  it('rejects a first response that comes after the deadline with 10062 Unknown interaction', async () => {
    // A short deadline stands in for Discord's 3 s so the test stays fast.
    const fake = await startFakeDiscord({ callbackDeadlineMs: 50 });
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBaseUrl, cdn: fake.cdnBaseUrl, offset: 0 } });
    try {
      let late: Promise<unknown> | undefined;
      client.on(Events.InteractionCreate, (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        late = new Promise((resolve) => setTimeout(resolve, 100)).then(() => interaction.deferReply()).catch((error: unknown) => error);
      });
      await client.login('fake-bot-token-0123456789abcdef');

      const handle = await fake.sendCommand({ name: 'animate' });
      await fake.waitFor(() => late !== undefined);

      expect(await late).toMatchObject({ code: 10062, status: 404 });
      expect(handle.events()).toEqual([]);
    } finally {
      await client.destroy();
      await fake.close();
    }
  });
});
