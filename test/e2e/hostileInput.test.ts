import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { wan25 } from '../../src/fal/models/wan25.js';
import { PICTURE_MAX_INPUT_BYTES } from '../../src/media/limits.js';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionEvent, InteractionHandle, SlashOptionInput } from '../fakes/fakeDiscord.js';
import { step } from '../fakes/fakeFal.js';
import { animate, contentOf, finalMessage, startHarness, type AnimateOptions, type Harness } from '../support/harness.js';
import {
  POLYGLOT_HTML,
  POLYGLOT_ZIP,
  SVG,
  cmykJpeg,
  exifRotatedJpeg,
  noisyImage,
  sixteenBitPng,
} from '../support/hostileFiles.js';
import { makeImage } from '../support/images.js';
import { startLoopbackServer, type LoopbackServer } from '../support/loopbackServer.js';
import { pixelBombPng, writeWav } from '../support/mediaFiles.js';
import { recordOutboundConnections, type OutboundConnections } from '../support/outboundConnections.js';
import { recordUnhandledRejections, type UnhandledRejections } from '../support/unhandledRejections.js';

/**
 * Hostile and broken input, end to end: the real discord.js and @fal-ai/client
 * between the fake Discord and the fake fal. For every bad input the member
 * reads one specific sentence, fal sees nothing (no upload, no submit), nothing
 * outside the attachment allowlist is contacted, and the bot keeps working.
 */

// Short, so the slow drip ends quickly; long enough that a 25 MB picture body on a busy loopback
// still reaches its byte cap before the deadline.
const DOWNLOAD_TIMEOUT_MS = 3_000;
const NOT_A_PICTURE = 'That file is not a picture I can use (JPEG, PNG, WEBP, BMP, GIF, TIFF or AVIF).';
const DAMAGED = 'The image is empty or damaged and could not be read.';
const NOT_AUDIO = 'That file is not audio the model can use: audio must be WAV or MP3.';
const ONLY_DISCORD = 'I can only read files uploaded to Discord.';
// Raw JSON, stack frames, error class names, or values that leaked through a template.
const INTERNALS = /\{"|\bat .+\.(js|ts)\b|Error:|undefined|null|\[object |NaN/;

const audioFixture = (name: string) => readFile(new URL(`../fixtures/audio/${name}`, import.meta.url));

function audio(attachment: NonNullable<SlashOptionInput['attachment']>): SlashOptionInput[] {
  return [{ name: 'audio', type: 11, attachment }];
}

/** Every message body the bot sent for an interaction, with what it would render. */
function botMessages(handle: InteractionHandle): Array<{ event: InteractionEvent; content: string; body: Record<string, unknown> }> {
  return handle
    .events()
    .map((event) => ({ event, body: (event.kind === 'callback' ? event.body?.data : event.body) as Record<string, unknown> | undefined }))
    .filter((m): m is { event: InteractionEvent; body: Record<string, unknown> } => typeof m.body?.content === 'string')
    .map(({ event, body }) => ({ event, body, content: body.content as string }));
}

describe('/animate against hostile and broken input', () => {
  let harness: Harness;
  /** A loopback server that is NOT in ATTACHMENT_HOSTS: it must never see a request. */
  let outsider: LoopbackServer;
  let outbound: OutboundConnections;
  let rejections: UnhandledRejections;
  let goodPng: Buffer;

  beforeAll(async () => {
    rejections = recordUnhandledRejections();
    outbound = recordOutboundConnections();
    goodPng = await makeImage(512, 512);
    const bait = goodPng;
    // Serves a perfectly good picture: if the bot ever fetched from here, the job would succeed and the test fail loudly.
    outsider = await startLoopbackServer((_request, response: ServerResponse) => {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(bait.length) }).end(bait);
    });
    harness = await startHarness({
      env: { DOWNLOAD_TIMEOUT_MS: String(DOWNLOAD_TIMEOUT_MS) },
      falScript: [step.queued(0), step.running('Generating frames'), step.completes()],
    });
  });

  afterAll(async () => {
    await harness?.close();
    await outsider?.close();
    outbound?.stop();
    rejections?.stop();
  });

  /** Runs one /animate that must be refused; returns what the member read. */
  async function refusal(options: AnimateOptions): Promise<{ text: string; ephemeral: boolean; handle: InteractionHandle }> {
    const falCallsBefore = harness.fal.calls.length;
    const handle = await animate(harness, options);
    const final = await finalMessage(handle);
    await harness.app.jobs.idle();
    expect(harness.fal.calls.slice(falCallsBefore), 'fal must see nothing for bad input').toEqual([]);
    const text = contentOf(final);
    expect(text).toContain('❌');
    expect(text).not.toMatch(INTERNALS);
    expectNoPings(handle);
    const ephemeral = final.kind === 'callback' && (Number(final.body?.data?.flags) & 64) === 64;
    return { text, ephemeral, handle };
  }

  /**
   * Runs one /animate that must succeed; returns the bytes fal was given, the
   * prompt it got, and what the bot made of the picture ("jpeg 400x800").
   */
  async function accepted(
    options: AnimateOptions,
  ): Promise<{ uploaded: Buffer; prompt: string; handle: InteractionHandle; text: string; prepared: string | null }> {
    const uploadsBefore = harness.fal.uploads.length;
    const submitsBefore = harness.fal.submits.length;
    const handle = await animate(harness, options);
    const final = await finalMessage(handle);
    await harness.app.jobs.idle();
    const text = contentOf(final);
    expect(text, text).toContain('✅');
    expectNoPings(handle);
    const uploads = harness.fal.uploads.slice(uploadsBefore);
    const submits = harness.fal.submits.slice(submitsBefore);
    expect(uploads).toHaveLength(1);
    expect(submits).toHaveLength(1);
    expect(submits[0]!.input.image_url).toBe(uploads[0]!.fileUrl);
    const job = (await harness.app.jobRepository.inStates(['delivered'])).find((row) => row.reply.interactionId === handle.id);
    const events = await harness.app.jobRepository.events(job!.id);
    const prepared = events.find((event) => event.to === 'prepared')?.detail ?? null;
    return { uploaded: uploads[0]!.bytes, prompt: String(submits[0]!.input.prompt), handle, text, prepared };
  }

  /** allowed_mentions on every message: nobody is pinged, at most the requester. */
  function expectNoPings(handle: InteractionHandle): void {
    for (const { body } of botMessages(handle)) {
      const allowed = body.allowed_mentions as { parse?: unknown; users?: unknown; roles?: unknown } | undefined;
      expect(allowed?.parse, `allowed_mentions of ${JSON.stringify(body.content)}`).toEqual([]);
      if (allowed?.users !== undefined) expect(allowed.users).toEqual([harness.discord.memberUserId]);
      expect(allowed?.roles ?? []).toEqual([]);
    }
    for (const message of harness.discord.channelMessages) {
      expect(message.body?.allowed_mentions?.parse).toEqual([]);
    }
  }

  async function expectStillWorking(): Promise<void> {
    const { uploaded } = await accepted({ image: goodPng });
    expect(uploaded.equals(goodPng)).toBe(true);
  }

  it('hears a deliberate unhandled rejection (control: the check at the end cannot pass for want of listening)', async () => {
    await rejections.proveItHearsOne();
    expect(rejections.reasons).toEqual([]);
  });

  describe('files', () => {
    interface FileCase {
      label: string;
      options: () => Promise<AnimateOptions>;
      says: string;
      /** Refused from what Discord declares, before the reply is deferred: only the member sees it. */
      ephemeral?: boolean;
    }

    const image = (build: () => Promise<Buffer> | Buffer, rest: Partial<AnimateOptions> = {}) => async () => ({
      image: await build(),
      ...rest,
    });

    const cases: FileCase[] = [
      {
        label: 'a text file named .png',
        options: image(() => Buffer.from('my holiday picture, honest\n'.repeat(20)), { imageName: 'holiday.png' }),
        says: `${NOT_A_PICTURE} It looks like a text file.`,
      },
      {
        label: 'a ZIP with a PNG inside it (polyglot that starts as a ZIP)',
        options: image(async () => Buffer.concat([POLYGLOT_ZIP, await makeImage(512, 512)]), { imageName: 'cat.png' }),
        says: `${NOT_A_PICTURE} It looks like a ZIP archive.`,
      },
      {
        label: 'HTML followed by a JPEG (polyglot that starts as HTML)',
        options: image(async () => Buffer.concat([POLYGLOT_HTML, await makeImage(512, 512, 'jpeg')]), { imageName: 'cat.jpg' }),
        says: NOT_A_PICTURE,
      },
      {
        label: 'a truncated PNG',
        options: image(async () => {
          const whole = await noisyImage(512, 512).png().toBuffer();
          return whole.subarray(0, Math.floor(whole.length / 2));
        }),
        says: DAMAGED,
      },
      { label: 'a zero-byte file', options: image(() => Buffer.alloc(0)), says: DAMAGED },
      {
        label: 'a pixel bomb (100000×100000 px declared in 100 bytes)',
        options: image(() => pixelBombPng(100_000, 100_000)),
        says: 'The image is 100000×100000 px (10,000 megapixels); the limit is 67 megapixels.',
      },
      {
        label: 'a pixel bomb inside the size range (2000×2000 px declared, no pixels)',
        options: image(() => pixelBombPng(2_000, 2_000)),
        says: DAMAGED,
      },
      // GIFs, animations, transparency and sizes out of range are fixed, not refused: test/e2e/pictureFixes.test.ts.
      {
        label: 'a file of 25 MB + 1 byte, declared as such',
        options: image(async () => Buffer.alloc(PICTURE_MAX_INPUT_BYTES + 1), {}),
        says: 'The image is 25.1 MB; the limit is 25 MB.',
        ephemeral: true,
      },
      {
        label: 'a file of 25 MB + 1 byte declared as 1000 bytes',
        options: image(() => Buffer.alloc(PICTURE_MAX_INPUT_BYTES + 1, 1), { declaredSize: 1_000 }),
        says: 'The image is larger than 25 MB.',
      },
      {
        label: 'a file of 25 MB + 1 byte declared as 1000 bytes, sent without Content-Length',
        options: image(() => Buffer.alloc(PICTURE_MAX_INPUT_BYTES + 1, 1), { declaredSize: 1_000, imageCdn: { omitContentLength: true } }),
        says: 'The image is larger than 25 MB.',
      },
      {
        label: 'an SVG (never rendered)',
        options: image(() => SVG, { imageName: 'cat.svg', imageContentType: 'image/svg+xml' }),
        says: `${NOT_A_PICTURE} It looks like an SVG drawing.`,
      },
      {
        label: 'a picture too long and thin to scale into range (4000×300)',
        options: image(() => makeImage(4_000, 300)),
        says: 'The image is 4000×300 px, too long and thin for the model',
      },
      {
        label: 'audio that is not audio (a PNG named .mp3)',
        options: async () => ({
          image: goodPng,
          extra: audio({ filename: 'song.mp3', bytes: await makeImage(64, 64), contentType: 'audio/mpeg' }),
        }),
        says: `${NOT_AUDIO} It looks like a PNG picture.`,
      },
      {
        label: 'audio that is text',
        options: async () => ({
          image: goodPng,
          extra: audio({ filename: 'song.wav', bytes: Buffer.from('la la la\n'.repeat(50)), contentType: 'audio/wav' }),
        }),
        says: `${NOT_AUDIO} It looks like a text file.`,
      },
      {
        label: 'audio of 2.9 s',
        options: async () => ({
          image: goodPng,
          extra: audio({ filename: 'short.wav', bytes: await audioFixture('tone-2.9s.wav'), contentType: 'audio/wav' }),
        }),
        says: 'The audio is 2.9 s long; it must be between 3 and 30 s.',
      },
      {
        label: 'audio of 30.1 s (WAV)',
        options: async () => ({
          image: goodPng,
          extra: audio({ filename: 'long.wav', bytes: writeWav(30.1), contentType: 'audio/wav' }),
        }),
        says: 'The audio is 30.1 s long; it must be between 3 and 30 s.',
      },
      {
        label: 'audio of 30.1 s (MP3, measured 30.3 s)',
        options: async () => ({
          image: goodPng,
          extra: audio({ filename: 'long.mp3', bytes: await audioFixture('tone-30.1s.mp3'), contentType: 'audio/mpeg' }),
        }),
        says: 'The audio is 30.4 s long; it must be between 3 and 30 s.',
      },
      {
        label: 'an audio file of 15 MB + 1 byte, declared as such',
        options: async () => ({
          image: goodPng,
          extra: audio({ filename: 'big.wav', bytes: Buffer.alloc(wan25.audio.maxBytes + 1), contentType: 'audio/wav' }),
        }),
        says: 'The audio file is 15.1 MB; the limit is 15 MB.',
        ephemeral: true,
      },
      {
        label: 'an audio file of 15 MB + 1 byte declared as 1000 bytes',
        options: async () => ({
          image: goodPng,
          extra: audio({
            filename: 'big.wav',
            bytes: Buffer.alloc(wan25.audio.maxBytes + 1, 1),
            contentType: 'audio/wav',
            declaredSize: 1_000,
            cdn: { omitContentLength: true },
          }),
        }),
        says: 'The audio file is larger than 15 MB.',
      },
    ];

    it.each(cases)('refuses $label with its own sentence and without calling fal', async ({ options, says, ephemeral }) => {
      const { text, ephemeral: wasEphemeral } = await refusal(await options());
      expect(text).toContain(says);
      expect(wasEphemeral).toBe(ephemeral ?? false);
      // Refusals after the reply was deferred say so; the quick ones need not, nothing was reserved.
      if (!ephemeral) expect(text).toContain('You were not charged.');
    });

    it('turns an EXIF-rotated JPEG upright, as shown, and sends fal that', async () => {
      // Stored 800×400, shown 400×800.
      const photo = await exifRotatedJpeg(800, 400);
      const { uploaded, prepared } = await accepted({ image: photo, imageName: 'photo.jpg', imageContentType: 'image/jpeg' });
      const metadata = await sharp(uploaded).metadata();
      expect(metadata).toMatchObject({ format: 'jpeg', width: 400, height: 800 });
      expect(metadata.orientation ?? 1).toBe(1);
      expect(prepared).toBe("jpeg 400x800 (applied the camera's rotation)");
    });

    it('accepts a CMYK JPEG', async () => {
      const photo = await cmykJpeg(512, 512);
      const { uploaded, prepared } = await accepted({ image: photo, imageName: 'print.jpg', imageContentType: 'image/jpeg' });
      expect(uploaded.equals(photo)).toBe(true);
      expect(prepared).toBe('jpeg 512x512');
    });

    it('accepts a 16-bit PNG', async () => {
      const picture = await sixteenBitPng(640, 480);
      const { uploaded, prepared } = await accepted({ image: picture });
      expect(uploaded.equals(picture)).toBe(true);
      expect(prepared).toBe('png 640x480');
    });

    it('accepts a picture whose declared size is smaller than its real body, since only the bytes count', async () => {
      const picture = await noisyImage(512, 512).png().toBuffer();
      const { uploaded } = await accepted({ image: picture, declaredSize: 100 });
      expect(uploaded.equals(picture)).toBe(true);
    });

    it('sends fal only the PNG of a PNG/ZIP polyglot, never the archive behind it', async () => {
      const png = await makeImage(512, 512);
      const { uploaded } = await accepted({ image: Buffer.concat([png, POLYGLOT_ZIP]) });
      expect(uploaded.equals(png)).toBe(true);
      expect(uploaded.includes(Buffer.from('PK\x03\x04', 'latin1'))).toBe(false);
    });

    it('sends fal only the JPEG of a JPEG/HTML polyglot, never the HTML behind it', async () => {
      const jpeg = await makeImage(512, 512, 'jpeg');
      const { uploaded } = await accepted({
        image: Buffer.concat([jpeg, POLYGLOT_HTML]),
        imageName: 'cat.jpg',
        imageContentType: 'image/jpeg',
      });
      expect(uploaded.equals(jpeg)).toBe(true);
      expect(uploaded.includes(Buffer.from('<script'))).toBe(false);
    });

    it('still animates a good picture afterwards', expectStillWorking);
  });

  describe('attachment URLs', () => {
    const outsiderHits = () => outsider.requests.length;

    /** Every TCP connection the process tried since `from` went to the fake Discord or the fake fal. */
    function expectOnlyAllowedConnections(from: number): void {
      const allowed = new Set([harness.discord.attachmentHost, new URL(harness.fal.baseUrl).host]);
      expect(outbound.blocked).toEqual([]);
      expect(outbound.attempts.slice(from).filter((target) => !allowed.has(target))).toEqual([]);
    }

    interface UrlCase {
      label: string;
      options: () => AnimateOptions;
      says: string;
    }

    const cases: UrlCase[] = [
      {
        label: 'an attachment URL on a host outside the allowlist',
        options: () => ({ image: goodPng, imageUrl: outsider.url('/attachments/1/2/cat.png') }),
        says: ONLY_DISCORD,
      },
      {
        label: 'an attachment URL on a private address',
        options: () => ({ image: goodPng, imageUrl: 'http://10.0.0.1/latest/meta-data/' }),
        says: ONLY_DISCORD,
      },
      {
        label: 'an attachment URL on a look-alike host',
        options: () => ({ image: goodPng, imageUrl: `http://${harness.discord.attachmentHost}.evil.invalid/attachments/1/2/cat.png` }),
        says: ONLY_DISCORD,
      },
      {
        label: 'an attachment URL with credentials for the allowed host',
        options: () => ({ image: goodPng, imageUrl: `http://user:pass@${harness.discord.attachmentHost}/attachments/1/2/cat.png` }),
        says: ONLY_DISCORD,
      },
      {
        label: 'a file: URL',
        options: () => ({ image: goodPng, imageUrl: 'file:///etc/passwd' }),
        says: ONLY_DISCORD,
      },
      {
        label: 'a CDN redirect to a host outside the allowlist',
        options: () => ({ image: goodPng, imageCdn: { redirectTo: outsider.url('/cat.png') } }),
        says: ONLY_DISCORD,
      },
      {
        label: 'a CDN redirect to a private address',
        options: () => ({ image: goodPng, imageCdn: { redirectTo: 'http://10.0.0.1/admin' } }),
        says: ONLY_DISCORD,
      },
      {
        label: 'a CDN redirect to the cloud metadata address',
        options: () => ({ image: goodPng, imageCdn: { redirectTo: 'http://169.254.169.254/latest/meta-data/iam/' } }),
        says: ONLY_DISCORD,
      },
      {
        label: 'a CDN redirect to a file: URL',
        options: () => ({ image: goodPng, imageCdn: { redirectTo: 'file:///etc/passwd' } }),
        says: ONLY_DISCORD,
      },
      {
        label: 'an audio attachment URL outside the allowlist',
        options: () => ({
          image: goodPng,
          extra: audio({ filename: 'song.wav', bytes: writeWav(5), contentType: 'audio/wav', url: outsider.url('/song.wav') }),
        }),
        says: ONLY_DISCORD,
      },
      {
        label: 'an expired CDN link (404)',
        options: () => ({ image: goodPng, imageUrl: `http://${harness.discord.attachmentHost}/attachments/1/2/gone.png?ex=0&hm=0` }),
        says: "I couldn't download your image from Discord; please upload it again.",
      },
      {
        label: 'an endless body',
        options: () => ({ image: goodPng, imageCdn: { endless: true } }),
        says: 'The image is larger than 25 MB.',
      },
    ];

    it.each(cases)('refuses $label without contacting anything outside the allowlist', async ({ options, says }) => {
      const hitsBefore = outsiderHits();
      const attemptsBefore = outbound.attempts.length;
      const { text } = await refusal(options());
      expect(text).toContain(says);
      expect(outsiderHits()).toBe(hitsBefore);
      expectOnlyAllowedConnections(attemptsBefore);
    });

    it('gives up on a slow-drip download at the deadline', async () => {
      const startedAt = Date.now();
      const { text } = await refusal({ image: goodPng, imageCdn: { drip: { chunkBytes: 16, intervalMs: 50 } } });
      expect(text).toContain('Downloading your image took too long; please try again.');
      // The deadline covers the whole body, not the gap between two chunks.
      expect(Date.now() - startedAt).toBeLessThan(DOWNLOAD_TIMEOUT_MS + 3_000);
    });

    it('never contacted the outsider at all, and made no connection outside loopback', () => {
      expect(outsider.requests).toEqual([]);
      // The recorder works: it saw the bot connect to the fake Discord and the fake fal.
      expect(outbound.attempts).toContain(harness.discord.attachmentHost);
      expect(outbound.attempts).toContain(new URL(harness.fal.baseUrl).host);
      expectOnlyAllowedConnections(0);
    });

    it('still animates a good picture afterwards', expectStillWorking);
  });

  describe('prompt text', () => {
    const roleId = '222222222222222222';

    /** The line that echoes the prompt ("> …") in every message the bot sent. */
    function promptLines(handle: InteractionHandle): string[] {
      return botMessages(handle)
        .map(({ content }) => content.split('\n').find((line) => line.startsWith('> ')))
        .filter((line): line is string => line !== undefined);
    }

    async function echoed(prompt: string): Promise<{ lines: string[]; falPrompt: string; contents: string[] }> {
      const { handle, prompt: falPrompt } = await accepted({ image: goodPng, prompt });
      const lines = promptLines(handle);
      expect(lines.length).toBeGreaterThan(0);
      return { lines, falPrompt, contents: botMessages(handle).map((m) => m.content) };
    }

    it('pings nobody for @everyone, @here, user and role mentions, and gives fal the prompt unchanged', async () => {
      const prompt = `@everyone @here look at <@${harness.discord.memberUserId}> and <@!${harness.discord.memberUserId}> and <@&${roleId}> dance`;
      const { lines, falPrompt, contents } = await echoed(prompt);
      expect(falPrompt).toBe(prompt);
      for (const content of contents) {
        expect(content).not.toMatch(/@(everyone|here)/);
        expect(content).not.toMatch(/<@[!&]?\d+>/);
      }
      expect(lines[0]).toContain('@\u200Beveryone');
    });

    it('accepts 800 characters of mentions, echoes a neutralised excerpt, and gives fal all 800', async () => {
      const prompt = '@everyone '.repeat(80).slice(0, 800);
      expect(prompt).toHaveLength(800);
      const { lines, falPrompt, contents } = await echoed(prompt);
      expect(falPrompt).toBe(prompt.trim());
      for (const content of contents) {
        expect(content).not.toMatch(/@everyone/);
        expect(content.length).toBeLessThanOrEqual(2_000);
      }
      expect(lines[0]!.endsWith('…')).toBe(true);
    });

    it('refuses 801 characters at once and privately', async () => {
      const { text, ephemeral } = await refusal({ image: goodPng, prompt: `<@&${roleId}> ${'x'.repeat(801)}`.slice(0, 801) });
      expect(text).toContain('The prompt is 801 characters; the limit is 800.');
      expect(ephemeral).toBe(true);
    });

    it('drops zero-width and right-to-left control characters from the echo, keeping right-to-left text', async () => {
      const invisible = ['\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u061C', '\uFEFF', '\u2060', '\u00AD'];
      const prompt = `the cat\u200B waves\u202E gnp.exe\u202C at \u2067שלום\u2069 and\u061C smiles${invisible.join('')}`;
      const { lines, falPrompt } = await echoed(prompt);
      expect(falPrompt).toBe(prompt);
      for (const line of lines) {
        // A zero-width space is what the bot itself puts after "@" and "://"; none of those here.
        for (const character of invisible) expect(line, `U+${character.codePointAt(0)!.toString(16)}`).not.toContain(character);
        expect(line).toContain('שלום');
        expect(line).toContain('the cat waves gnp.exe at שלום and smiles');
      }
    });

    it('drops control characters from the echo, and fal gets them as the member typed them (but U+0000)', async () => {
      const prompt = 'a cat\u0000 jumps\u0007 over\u001b[31m red\u007f text\u0085 now\u0008';
      const { lines, falPrompt } = await echoed(prompt);
      // NUL is the one character no store holds (PostgreSQL refuses it): dropped before the job is recorded.
      expect(falPrompt).toBe(prompt.replace('\u0000', ''));
      for (const line of lines) {
        // eslint-disable-next-line no-control-regex -- the point of the test
        expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
        // "[" is escaped like every Markdown character; the escape sequence's ESC byte is gone.
        expect(line).toContain('a cat jumps over\\[31m red text now');
      }
    });

    it('escapes Markdown so the prompt stays one quoted line without headings, code, spoilers or links', async () => {
      const prompt = [
        '# Free Nitro',
        '```js',
        'boom```',
        '> **bold** __under__ ~~gone~~ ||spoiler|| `code`',
        '-# small print',
        '1. first',
        '[click here](https://evil.example/login) https://evil.example/preview',
      ].join('\n');
      const { lines, falPrompt, contents } = await echoed(prompt);
      expect(falPrompt).toBe(prompt);
      for (const line of lines) {
        expect(line.startsWith('> \\# Free Nitro')).toBe(true);
        expect(line).not.toMatch(/(?<!\\)[`|*~]/); // every code, spoiler, bold, strike marker escaped
        expect(line).not.toMatch(/(?<!\\)__/);
        expect(line).not.toMatch(/(?<!\\)\[/); // no masked link
        expect(line).not.toContain('https://'); // no link, no preview
        expect(line).toContain('\\`\\`\\`js boom\\`\\`\\`');
      }
      for (const content of contents) {
        // Whatever the prompt held, every message keeps the bot's own layout: the prompt is one line.
        expect(content.split('\n').filter((l) => l.startsWith('> '))).toHaveLength(1);
        expect(content).not.toMatch(/^(#|\d+\.) /m);
      }
    });

    it('refuses a prompt made only of invisible characters as empty', async () => {
      const { text, ephemeral } = await refusal({ image: goodPng, prompt: '\u200B\u200D\u202E\u2066\uFEFF' });
      expect(text).toContain('The prompt is empty.');
      expect(ephemeral).toBe(true);
    });

    it("neutralises mentions and Markdown in the prompt fal's prompt expansion writes back", async () => {
      harness.fal.scriptNext([step.queued(0), step.running('x'), step.completes({ actualPrompt: '@everyone # a cat **dances** <@&1> [x](https://evil.example)' })]);
      const { text } = await accepted({ image: goodPng, prompt: 'a cat dances' });
      const used = text.split('\n').find((line) => line.startsWith('**Prompt used:**'));
      expect(used).toBeDefined();
      expect(used).not.toMatch(/@everyone|<@&1>|https:\/\/|(?<!\\)\[/);
      expect(used).toContain('\\*\\*dances\\*\\*');
    });

    it('still animates a good picture afterwards', expectStillWorking);
  });

  describe('on PostgreSQL', () => {
    let pgHarness: Harness;
    beforeAll(async () => {
      pgHarness = await startHarness({ engine: 'postgres', falScript: [step.queued(0), step.running('x'), step.completes()] });
    });
    afterAll(async () => {
      await pgHarness?.close();
    });

    it('records and runs a prompt and negative prompt holding U+0000 and other control characters', async () => {
      const prompt = 'a cat\u0000 jumps\u0007 \u001b[1m@everyone\u202E';
      const handle = await animate(pgHarness, {
        image: goodPng,
        prompt,
        extra: [{ name: 'negative_prompt', type: 3, value: 'blur\u0000ry' }],
      });
      const text = contentOf(await finalMessage(handle));
      await pgHarness.app.jobs.idle();
      expect(text).toContain('✅');
      expect(pgHarness.fal.submits.at(-1)?.input).toMatchObject({
        prompt: 'a cat jumps\u0007 \u001b[1m@everyone\u202E',
        negative_prompt: 'blurry',
      });
    });
  });

  it('saw no unhandled rejection and no connection outside loopback during all of it', () => {
    expect(rejections.listening).toBe(true);
    expect(rejections.reasons).toEqual([]);
    expect(outbound.blocked).toEqual([]);
  });
});
