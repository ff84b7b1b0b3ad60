import { Client, Events, GatewayIntentBits, type Interaction } from 'discord.js';
import type { FakeDiscord } from '../fakes/fakeDiscord.js';

export const FAKE_BOT_TOKEN = 'fake-bot-token-0123456789abcdef';

/**
 * A real discord.js client logged in to the fake, playing a tiny bot: each
 * test sets `answer`, and whatever it throws is kept in `errors` for the test
 * to assert empty, since discord.js would otherwise swallow it.
 */
export interface TinyBot {
  readonly client: Client;
  answer: (interaction: Interaction) => Promise<void>;
  readonly errors: unknown[];
  destroy(): Promise<void>;
}

export async function startTinyBot(fake: FakeDiscord): Promise<TinyBot> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: fake.apiBaseUrl, cdn: fake.cdnBaseUrl, offset: 0 },
  });
  const bot: TinyBot = {
    client,
    answer: async () => {},
    errors: [],
    destroy: () => client.destroy(),
  };
  client.on(Events.InteractionCreate, (interaction) => {
    bot.answer(interaction).catch((error: unknown) => bot.errors.push(error));
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(FAKE_BOT_TOKEN);
  await ready;
  return bot;
}
