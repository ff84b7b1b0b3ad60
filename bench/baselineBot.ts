// The baseline of the load benchmarks: /animate written the way fal's docs
// and discord.js's guide suggest, run as its own process like the bot.
// deferReply first, the picture downloaded whole and put on fal's storage,
// `fal.subscribe` with its default polling (every 500 ms), editReply on every
// queue update, the video downloaded whole and sent with editReply. Jobs live
// only in memory. The only departures from the docs point it at the fakes:
// discord.js's `rest.api`, and fal's URLs rewritten as the bot does (src/fal/falUrls.ts).
// Environment: DISCORD_TOKEN, DISCORD_API_BASE_URL, FAL_KEY, FAL_BASE_URL.
import { fal } from '@fal-ai/client';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { rewriteFalUrl } from '../src/fal/falUrls.js';

const MODEL = 'fal-ai/wan-25-preview/image-to-video';

interface VideoOutput {
  video: { url: string };
}

const falBaseUrl = process.env.FAL_BASE_URL;
const toFake = (url: string) => rewriteFalUrl(url, falBaseUrl);

fal.config({
  credentials: process.env.FAL_KEY,
  requestMiddleware: (request) => Promise.resolve({ ...request, url: toFake(request.url) }),
  fetch: (input, init) => fetch(toFake(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url), init),
});

const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  rest: { api: process.env.DISCORD_API_BASE_URL ?? 'https://discord.com/api' },
});

client.once(Events.ClientReady, () => process.stdout.write('baseline ready\n'));

client.on(Events.InteractionCreate, async (interaction) => {
  if (!interaction.isChatInputCommand() || interaction.commandName !== 'animate') return;
  try {
    await interaction.deferReply();
    const image = interaction.options.getAttachment('image', true);
    const prompt = interaction.options.getString('prompt', true);

    const picture = await (await fetch(image.url)).blob();
    const imageUrl = await fal.storage.upload(picture);

    const result = await fal.subscribe(MODEL, {
      input: { prompt, image_url: imageUrl },
      logs: true,
      onQueueUpdate: (update) => {
        const text =
          update.status === 'IN_QUEUE'
            ? `In queue, position ${update.queue_position}`
            : update.status === 'IN_PROGRESS'
              ? `Generating… ${update.logs.at(-1)?.message ?? ''}`
              : 'Finishing…';
        interaction.editReply(text).catch((error: unknown) => console.error('progress edit failed', error));
      },
    });

    const { video } = result.data as VideoOutput;
    const bytes = Buffer.from(await (await fetch(toFake(video.url))).arrayBuffer());
    await interaction.editReply({ content: `Done! ${prompt}`, files: [{ attachment: bytes, name: 'video.mp4' }] });
  } catch (error) {
    console.error('job failed', error);
    if (interaction.deferred) await interaction.editReply('Something went wrong.').catch(() => undefined);
  }
});

process.on('SIGTERM', () => {
  void client.destroy().finally(() => process.exit(0));
});

await client.login(process.env.DISCORD_TOKEN);
