import { REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applicationCommandBodies, deployCommands, guildIdFromArgs } from '../../commands/deploy.js';
import { interactionHandlers } from '../../commands/registry.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fakeDiscord.js';
import { spawnBot } from '../support/botProcess.js';
import { FAKE_DISCORD_TOKEN } from '../support/harness.js';

describe('operator tasks', () => {
  let discord: FakeDiscord;
  beforeEach(async () => {
    discord = await startFakeDiscord();
  });
  afterEach(async () => {
    await discord.close();
  });

  function rest(): REST {
    return new REST({ api: discord.apiBaseUrl }).setToken(FAKE_DISCORD_TOKEN);
  }

  it('registers every command in one guild with --guild, from the same definitions the router uses', async () => {
    const deployed = await deployCommands({ rest: rest(), applicationId: discord.applicationId, guildId: discord.guildId });
    const names = deployed.map((command) => command.name);
    // Command names are an external interface: servers and members know them.
    expect(names.sort()).toEqual(['Animate image', 'animate', 'quota', 'settings', 'usage']);
    expect(names).toEqual(applicationCommandBodies(interactionHandlers).map((body) => body.name).sort());
    const registered = discord.registeredCommands.guild[discord.guildId] as Array<{ name: string; options?: Array<{ name: string }> }>;
    const animate = registered.find((command) => command.name === 'animate');
    expect(animate?.options?.map((option) => option.name)).toEqual([
      'image',
      'prompt',
      'negative_prompt',
      'resolution',
      'duration',
      'seed',
      'audio',
      'prompt_expansion',
    ]);
    expect(discord.registeredCommands.global).toHaveLength(0);
  });

  it('registers globally without --guild', async () => {
    await deployCommands({ rest: rest(), applicationId: discord.applicationId });
    expect((discord.registeredCommands.global as Array<{ name: string }>).map((c) => c.name)).toContain('animate');
  });

  it('reads --guild from the command line and refuses a malformed id', () => {
    expect(guildIdFromArgs(['--guild', '123456789012345678'])).toBe('123456789012345678');
    expect(guildIdFromArgs([])).toBeUndefined();
    expect(() => guildIdFromArgs(['--guild', 'my-server'])).toThrow(/server id/);
  });

  it('stops start-up with one line per bad setting and a pointer to .env.example', async () => {
    const bot = spawnBot({ DISCORD_APPLICATION_ID: 'not-a-snowflake', POLL_INTERVAL_MS: 'soon' });
    const { code } = await bot.exited;
    expect(code).toBe(1);
    const text = bot.output.join('\n');
    expect(text).toContain('Configuration is not valid:');
    expect(text).toMatch(/^\s+- DISCORD_TOKEN is required$/m);
    expect(text).toMatch(/^\s+- FAL_KEY is required$/m);
    expect(text).toMatch(/^\s+- DISCORD_APPLICATION_ID must be a Discord snowflake/m);
    expect(text).toMatch(/^\s+- POLL_INTERVAL_MS /m);
    expect(text).toContain('See .env.example');
    expect(text).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
  });
});
