// What every load benchmark shares: the loopback fakes (Discord and fal) in
// this process, the environment that points a bot process at them, members
// sending /animate at a steady rate, and reading acknowledgements back from
// what the fake Discord recorded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { startFakeDiscord, type FakeDiscord, type FakeGuild, type InteractionHandle } from '../test/fakes/fakeDiscord.js';
import { startFakeFal, type FakeFal, type FalScript } from '../test/fakes/fakeFal.js';
import { FAKE_DISCORD_TOKEN, FAKE_FAL_KEY } from '../test/support/harness.js';
import { freePort, sleep, type BotKind } from './botProcesses.js';

/** Discord's answer window (PROTOCOLS.md §3): an interaction not acknowledged within it is lost. */
export const ACK_DEADLINE_MS = 3_000;
/** Discord's message flag for an answer only the member sees (a refusal, an error). */
const EPHEMERAL_FLAG = 64;
const CALLBACK_PATH = /\/interactions\/\d+\/([^/]+)\/callback$/;
// Every /animate of a run is a different member, so member limits never refuse one.
const FIRST_MEMBER_ID = 300_000_000_000_000_000n;

export interface LoadRig {
  readonly discord: FakeDiscord;
  readonly fal: FakeFal;
  /** A directory of this run's own (the SQLite database). */
  readonly directory: string;
  close(): Promise<void>;
}

/** Fresh fakes for one bot: each variant of a benchmark gets its own, so their counts are its own. */
export async function startLoadRig(falScript: FalScript): Promise<LoadRig> {
  const discord = await startFakeDiscord();
  const fal = await startFakeFal({ defaultScript: falScript });
  const directory = mkdtempSync(join(tmpdir(), 'animate-bench-'));
  return {
    discord,
    fal,
    directory,
    async close() {
      await discord.close();
      await fal.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export interface BotSetup {
  env: Record<string, string>;
  /** The bot's HTTP server (health, /metrics, fal's webhooks); undefined for the baseline. */
  httpPort: number | undefined;
}

/**
 * The compiled bot's environment: the fakes' addresses, a SQLite file of the
 * run's own, budgets no run exhausts (the load is the subject, not the
 * quotas), the HTTP server on (its /metrics tells the event-loop delay), and
 * otherwise the bot's defaults (poll 3 s, progress edits every 4 s, info logs).
 */
export async function botSetup(rig: LoadRig, extra: Record<string, string> = {}): Promise<BotSetup> {
  const httpPort = await freePort();
  return {
    httpPort,
    env: {
      DISCORD_TOKEN: FAKE_DISCORD_TOKEN,
      DISCORD_APPLICATION_ID: rig.discord.applicationId,
      FAL_KEY: FAKE_FAL_KEY,
      DATABASE_URL: join(rig.directory, 'animate.sqlite'),
      DISCORD_API_BASE_URL: rig.discord.apiBaseUrl,
      DISCORD_CDN_BASE_URL: rig.discord.cdnBaseUrl,
      FAL_BASE_URL: rig.fal.baseUrl,
      ATTACHMENT_HOSTS: rig.discord.attachmentHost,
      FAL_WEBHOOK_JWKS_URL: rig.fal.jwksUrl,
      HTTP_PORT: String(httpPort),
      HTTP_HOST: '127.0.0.1',
      GLOBAL_DAILY_BUDGET_USD: '1000000',
      MAX_GUILD_BUDGET_USD: '1000000',
      DEFAULT_GUILD_BUDGET_USD: '1000000',
      DEFAULT_MEMBER_CLIPS_PER_DAY: '0',
      DEFAULT_MEMBER_CONCURRENT_JOBS: '0',
      DEFAULT_GUILD_CONCURRENT_JOBS: '0',
      ...extra,
    },
  };
}

/** The baseline needs only the token, the fal key and where the fakes are. */
export function baselineSetup(rig: LoadRig): BotSetup {
  return {
    httpPort: undefined,
    env: {
      DISCORD_TOKEN: FAKE_DISCORD_TOKEN,
      DISCORD_API_BASE_URL: rig.discord.apiBaseUrl,
      FAL_KEY: FAKE_FAL_KEY,
      FAL_BASE_URL: rig.fal.baseUrl,
    },
  };
}

export function setupFor(kind: BotKind, rig: LoadRig, extra: Record<string, string> = {}): Promise<BotSetup> {
  return kind === 'bot' ? botSetup(rig, extra) : Promise.resolve(baselineSetup(rig));
}

/** How a benchmark names its two contestants in tables. */
export const KIND_LABELS: Record<BotKind, string> = { bot: 'bot (compiled, defaults)', baseline: 'baseline (docs style)' };

export const MEMBER_PICTURE = { width: 1280, height: 960, format: 'JPEG' } as const;

/**
 * A member's photo: 1280×960 JPEG with smooth gradients and grain, so it
 * compresses (and decodes) like a photo rather than a flat test card.
 */
export async function memberPicture(): Promise<Buffer> {
  const { width, height } = MEMBER_PICTURE;
  const pixels = Buffer.alloc(width * height * 3);
  let noise = 12_345;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      noise = (noise * 1_103_515_245 + 12_345) & 0x7fffffff;
      const grain = (noise >> 16) % 24;
      const at = (y * width + x) * 3;
      pixels[at] = ((x * 255) / width + grain) & 0xff;
      pixels[at + 1] = ((y * 255) / height + grain) & 0xff;
      pixels[at + 2] = (((x + y) * 127) / (width + height) + 64 + grain) & 0xff;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
}

/** The nth member of a run (an 18-digit snowflake of their own). */
export function memberId(index: number): string {
  return String(FIRST_MEMBER_ID + BigInt(index));
}

/** A member runs `/animate image:<picture> prompt:<text>`; `tag` goes into the prompt so fal's submit can be matched to it. */
export function sendAnimate(discord: FakeDiscord, picture: Buffer, index: number, tag = `member ${index}`, guild?: FakeGuild): Promise<InteractionHandle> {
  return discord.sendCommand({
    name: 'animate',
    userId: memberId(index),
    ...(guild ? { guildId: guild.guildId, channelId: guild.channelId } : {}),
    options: [
      { name: 'image', type: 11, attachment: { filename: 'photo.jpg', bytes: picture, contentType: 'image/jpeg' } },
      { name: 'prompt', type: 3, value: `the waves roll in slowly, the light shimmers (${tag})` },
    ],
  });
}

/** Calls `send(0…count-1)` at a steady `perSecond`, without waiting for answers; resolves when the last is sent. */
export async function sendSteadily<T>(
  count: number,
  perSecond: number,
  send: (index: number) => Promise<T>,
): Promise<{ sent: Array<Promise<T>>; achievedPerSecond: number }> {
  const intervalMs = 1000 / perSecond;
  const sent: Array<Promise<T>> = [];
  const startedAt = performance.now();
  for (let index = 0; index < count; index += 1) {
    const waitMs = startedAt + index * intervalMs - performance.now();
    if (waitMs >= 1) await sleep(waitMs);
    const sending = send(index);
    // Awaited by the caller; until then a failure (the bot died) must not end this process as unhandled.
    sending.catch(() => undefined);
    sent.push(sending);
  }
  const spanSeconds = (performance.now() - startedAt) / 1000;
  return { sent, achievedPerSecond: count > 1 ? (count - 1) / spanSeconds : count };
}

/**
 * Sends `count` members, keeping at most `window` of them waiting for their
 * acknowledgement (one Discord refused as late counts as answered): as fast
 * as the bot takes them, so none is lost to a missed acknowledgement.
 */
export async function sendAsAcknowledged(
  discord: FakeDiscord,
  picture: Buffer,
  count: number,
  window: number,
  /** Members take turns among these servers (one per gateway shard); the fake's own server when none. */
  guilds: readonly FakeGuild[] = [],
): Promise<InteractionHandle[]> {
  const handles: InteractionHandle[] = [];
  const open = new Set<InteractionHandle>();
  const answered = (handle: InteractionHandle) =>
    handle.events().some((event) => event.kind === 'callback') || Date.now() - handle.dispatchedAt > ACK_DEADLINE_MS;
  for (let index = 0; index < count; index += 1) {
    while (open.size >= window) {
      await sleep(2);
      for (const handle of open) if (answered(handle)) open.delete(handle);
    }
    const handle = await sendAnimate(discord, picture, index, undefined, guilds[index % Math.max(1, guilds.length)]);
    open.add(handle);
    handles.push(handle);
  }
  return handles;
}

export interface Acknowledgement {
  /** From INTERACTION_CREATE leaving the fake gateway to the callback POST reaching the fake Discord; Infinity when none came. */
  latencyMs: number;
  /** A callback Discord accepted within the 3 s window. */
  inTime: boolean;
  /** Answered privately (a refusal or an error) instead of deferring a public reply. */
  refused: boolean;
  /** What the private answer said. */
  refusal?: string;
}

/** Each interaction's first callback, as the fake Discord recorded it when the request arrived. */
export function acknowledgementsOf(discord: FakeDiscord, handles: readonly InteractionHandle[]): Acknowledgement[] {
  const firstCallback = new Map<string, (typeof discord.calls)[number]>();
  for (const call of discord.calls) {
    const token = call.method === 'POST' ? CALLBACK_PATH.exec(call.path)?.[1] : undefined;
    if (token !== undefined && !firstCallback.has(token)) firstCallback.set(token, call);
  }
  return handles.map((handle) => {
    const call = firstCallback.get(handle.token);
    if (!call) return { latencyMs: Number.POSITIVE_INFINITY, inTime: false, refused: false };
    const latencyMs = call.at - handle.dispatchedAt;
    const body = call.body as { type?: number; data?: { flags?: number; content?: unknown } } | undefined;
    const refused = body?.type === 4 && ((body.data?.flags ?? 0) & EPHEMERAL_FLAG) !== 0;
    const inTime = call.status >= 200 && call.status < 300 && latencyMs <= ACK_DEADLINE_MS;
    return { latencyMs, inTime, refused, ...(refused ? { refusal: String(body.data?.content ?? '') } : {}) };
  });
}

/** Event-loop delay of the bot process, from its /metrics (prom-client resets the histogram at every scrape). */
export async function botEventLoopDelay(httpPort: number | undefined): Promise<{ p99Ms: number; maxMs: number }> {
  if (httpPort === undefined) return { p99Ms: Number.NaN, maxMs: Number.NaN };
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  const seconds = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { p99Ms: seconds('nodejs_eventloop_lag_p99_seconds') * 1000, maxMs: seconds('nodejs_eventloop_lag_max_seconds') * 1000 };
}
