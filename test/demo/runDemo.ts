import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import sharp from 'sharp';
import type { InteractionEvent } from '../fakes/fakeDiscord.js';
import { step } from '../fakes/fakeFal.js';
import { animate, contentOf, startHarness } from '../support/harness.js';

/**
 * `npm run demo`: the real bot between the local fake Discord and the local
 * fake fal, with a SQLite file, no secrets and no network. Plays one member
 * running /animate, prints what they see, and saves the MP4 that arrived in
 * the Discord upload. The last line is the saved file's path.
 */

const OUTPUT_DIR = resolve('demo-output');
const PROMPT = 'The paper boat drifts across the pond as ripples spread and the sun sets';

/** A 768×512 picture drawn from SVG: a pond, a sun, a paper boat. */
function samplePicture(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="768" height="512">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#ff9a5a"/><stop offset="1" stop-color="#6a4c93"/></linearGradient></defs>
    <rect width="768" height="300" fill="url(#sky)"/>
    <circle cx="560" cy="230" r="60" fill="#ffd166"/>
    <rect y="300" width="768" height="212" fill="#1d3557"/>
    <polygon points="250,330 430,330 400,370 280,370" fill="#f1faee"/>
    <polygon points="340,250 340,330 400,330" fill="#e9ecef"/>
  </svg>`;
  return sharp(Buffer.from(svg)).removeAlpha().png().toBuffer();
}

function describeEvent(event: InteractionEvent): string {
  const text = contentOf(event).replace(/\n/g, '\n            ');
  if (event.kind === 'callback') {
    return event.callbackType === 5 ? 'Bot is thinking… (reply deferred)' : `Bot replied: ${text}`;
  }
  const files = event.files.map((file) => `${file.name} (${file.bytes.length} bytes)`).join(', ');
  return `Reply edited: ${text}${files ? `\n            📎 ${files}` : ''}`;
}

async function main(): Promise<void> {
  rmSync(OUTPUT_DIR, { recursive: true, force: true });
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const databaseUrl = resolve(OUTPUT_DIR, 'demo.sqlite');

  const harness = await startHarness({
    databaseUrl,
    logLevel: 'info',
    // The operator's defaults, as a fresh server gets them: $10 a month, 5 clips a day.
    operatorQuotaDefaults: true,
    env: { POLL_INTERVAL_MS: '400', PROGRESS_EDIT_INTERVAL_MS: '1000' },
    falScript: [
      step.queued(3),
      step.queued(2),
      step.queued(1),
      step.queued(0),
      step.running('Loading model'),
      step.running('Generating frames 1/4'),
      step.running('Generating frames 2/4'),
      step.running('Generating frames 3/4'),
      step.running('Generating frames 4/4'),
      step.running('Encoding video'),
      step.completes({ actualPrompt: `${PROMPT}, golden hour light, gentle camera push-in`, seed: 20251125 }),
    ],
  });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    out(`Fake Discord: ${harness.discord.apiBaseUrl}   Fake fal: ${harness.fal.baseUrl}`);
    out(`Database: ${databaseUrl}`);
    out(`Bot logged in to the fake gateway (IDENTIFY count ${harness.discord.identifyCount()}).`);
    out('');
    out(`Member runs: /animate image:boat.png prompt:"${PROMPT}"`);
    const startedAt = Date.now();
    const handle = await animate(harness, { image: await samplePicture(), imageName: 'boat.png', prompt: PROMPT });

    let shown = 0;
    let video: Buffer | undefined;
    let finalText = '';
    while (!finalText) {
      const events = handle.events();
      for (const event of events.slice(shown)) {
        out(`[${((event.at - startedAt) / 1000).toFixed(1).padStart(5)}s] ${describeEvent(event)}`);
        const text = contentOf(event);
        if (/✅|❌/.test(text)) {
          finalText = text;
          video = event.files[0]?.bytes;
        }
      }
      shown = events.length;
      if (!finalText) await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    }
    await harness.app.jobs.idle();
    const [job] = await harness.app.jobRepository.inStates(['delivered', 'failed']);
    out('');
    out(`Job ${job?.id} ended ${job?.state}; fal request ${job?.requestId}; fal saw ${harness.fal.callsTo('submit').length} submit(s).`);
    if (!video) throw new Error('the final message carried no video');
    const path = resolve(OUTPUT_DIR, 'animate-demo.mp4');
    writeFileSync(path, video);
    out(`Saved the MP4 from the Discord upload (${video.length} bytes):`);
    out(path);
  } finally {
    await harness.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
