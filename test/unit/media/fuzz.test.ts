import { readFile } from 'node:fs/promises';
import { wan25 } from '../../../src/fal/models/wan25.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { checkAudio } from '../../../src/media/audio.js';
import { fitPicture, pictureLimitsFor } from '../../../src/media/fitPicture.js';
import { checkImage } from '../../../src/media/image.js';
import { POLYGLOT_HTML, POLYGLOT_ZIP, animatedWebp, exifRotatedJpeg, noisyImage } from '../../support/hostileFiles.js';
import { pixelBombPng, writeBmp, writeBmpWithAlpha, writeWav } from '../../support/mediaFiles.js';

/**
 * Random and mutated files through checkImage, fitPicture and checkAudio: whatever the
 * bytes, the answer is a result within the model's limits or an InputError
 * with a sentence for the member. Anything else (a TypeError, a RangeError from
 * a Buffer read, a hang) is a bug.
 *
 * Reproduce a failure with the seed it prints: FUZZ_SEED=<seed> npx vitest run test/unit/media/fuzz.test.ts
 * (FUZZ_CASES=3000 digs deeper; 15 000 cases over five seeds found nothing when this was written).
 */

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed_2026);
const CASES = Number(process.env.FUZZ_CASES ?? 300);
/** Per check: far above what any one file takes, far below a hang. */
const CHECK_TIMEOUT_MS = 3_000;

/** mulberry32: tiny, fast and good enough to pick mutations. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Rng {
  int(maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
  bytes(length: number): Buffer;
}

function rngFrom(seed: number): Rng {
  const next = mulberry32(seed);
  const int = (maxExclusive: number) => Math.floor(next() * maxExclusive);
  return {
    int,
    pick: (items) => items[int(items.length)]!,
    bytes: (length) => Buffer.from(Array.from({ length }, () => int(256))),
  };
}

interface Sample {
  name: string;
  bytes: Buffer;
}

type Mutation = (input: Buffer, rng: Rng, samples: readonly Sample[]) => { bytes: Buffer; how: string };

const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff];
const INTERESTING_UINT32 = [0, 1, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 100_000, 65_535, 2_001];

const mutations: Record<string, Mutation> = {
  bitFlips: (input, rng) => {
    const bytes = Buffer.from(input);
    const flips = 1 + rng.int(8);
    for (let i = 0; i < flips; i += 1) bytes[rng.int(bytes.length)]! ^= 1 << rng.int(8);
    return { bytes, how: `${flips} bit flips` };
  },
  headerBitFlips: (input, rng) => {
    // Most parsing happens in the first bytes: concentrate damage there.
    const bytes = Buffer.from(input);
    const reach = Math.min(bytes.length, 200);
    const flips = 1 + rng.int(4);
    for (let i = 0; i < flips; i += 1) bytes[rng.int(reach)]! ^= 1 << rng.int(8);
    return { bytes, how: `${flips} bit flips in the first ${reach} bytes` };
  },
  interestingBytes: (input, rng) => {
    const bytes = Buffer.from(input);
    const at = rng.int(Math.min(bytes.length, 300));
    bytes[at] = rng.pick(INTERESTING_BYTES);
    return { bytes, how: `byte ${at} = ${bytes[at]}` };
  },
  hugeDeclaredNumber: (input, rng) => {
    // Sizes, lengths, offsets and dimensions are 16/32-bit fields near the start.
    const bytes = Buffer.from(input);
    const at = rng.int(Math.max(1, Math.min(bytes.length, 160) - 4));
    const value = rng.pick(INTERESTING_UINT32);
    if (rng.int(2) === 0) bytes.writeUInt32BE(value, at);
    else bytes.writeUInt32LE(value, at);
    return { bytes, how: `uint32 ${value} at ${at}` };
  },
  truncate: (input, rng) => {
    const length = rng.int(input.length);
    return { bytes: input.subarray(0, length), how: `truncated to ${length}` };
  },
  headerThenJunk: (input, rng) => {
    const keep = 1 + rng.int(Math.min(input.length, 400));
    const junk = 1 + rng.int(4_000);
    return { bytes: Buffer.concat([input.subarray(0, keep), rng.bytes(junk)]), how: `first ${keep} bytes + ${junk} random` };
  },
  splice: (input, rng, samples) => {
    const other = rng.pick(samples);
    const cut = rng.int(input.length);
    const from = rng.int(other.bytes.length);
    return {
      bytes: Buffer.concat([input.subarray(0, cut), other.bytes.subarray(from)]),
      how: `first ${cut} bytes + ${other.name} from ${from}`,
    };
  },
  appendPayload: (input, rng) => {
    const payload = rng.pick([POLYGLOT_ZIP, POLYGLOT_HTML, Buffer.from([0xff, 0xd9]), Buffer.from('IEND')]);
    return { bytes: Buffer.concat([input, payload]), how: `+ ${payload.length}-byte payload` };
  },
  duplicateRange: (input, rng) => {
    const start = rng.int(input.length);
    const length = 1 + rng.int(Math.min(256, input.length - start));
    const at = rng.int(input.length);
    const copy = input.subarray(start, start + length);
    return { bytes: Buffer.concat([input.subarray(0, at), copy, input.subarray(at)]), how: `${length} bytes from ${start} copied to ${at}` };
  },
  random: (_input, rng) => {
    const length = rng.int(2_048);
    return { bytes: rng.bytes(length), how: `${length} random bytes` };
  },
};

/** A result must be one the model accepts; a refusal must be an InputError with a sentence. */
function verdict(kind: Kind, input: Buffer, outcome: { value?: unknown; error?: unknown }): string | undefined {
  if ('error' in outcome) {
    const { error } = outcome;
    if (!(error instanceof InputError)) return `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    if (!/^[A-Z].*\.$/s.test(error.memberMessage) || /undefined|NaN|\[object/.test(error.memberMessage)) {
      return `InputError with an odd sentence: ${JSON.stringify(error.memberMessage)}`;
    }
    return undefined;
  }
  if (kind === 'image' || kind === 'picture') {
    const image = outcome.value as Awaited<ReturnType<typeof fitPicture>> & { hasAlpha?: boolean };
    const inRange = (side: number) => Number.isInteger(side) && side >= wan25.image.minSidePx && side <= wan25.image.maxSidePx;
    if (!['jpeg', 'png', 'bmp', 'webp'].includes(image.format)) return `accepted format ${image.format}`;
    if (!inRange(image.width) || !inRange(image.height)) return `accepted ${image.width}×${image.height} px`;
    if (image.format === 'png' && image.hasAlpha === true) return 'accepted a PNG with alpha';
    if (image.bytes.length === 0 || image.bytes.length > wan25.image.maxBytes) return `accepted ${image.bytes.length} bytes`;
    // fitPicture re-encodes, and must then say so; what it leaves alone is the member's own bytes.
    const reencoded = kind === 'picture' && image.changes.length > 0;
    if (!reencoded && !input.subarray(0, image.bytes.length).equals(image.bytes)) {
      return 'returned bytes that are not a prefix of the input';
    }
    return undefined;
  }
  const audio = outcome.value as Awaited<ReturnType<typeof checkAudio>>;
  if (!['wav', 'mp3'].includes(audio.format)) return `accepted format ${audio.format}`;
  if (!(audio.durationSeconds >= wan25.audio.minSeconds && audio.durationSeconds <= wan25.audio.maxSeconds)) {
    return `accepted ${audio.durationSeconds} s`;
  }
  if (audio.bytes.length > wan25.audio.maxBytes) return `accepted ${audio.bytes.length} bytes`;
  return undefined;
}

type Kind = 'image' | 'picture' | 'audio';
const CHECKS: ReadonlyArray<[Kind, string, (bytes: Buffer) => Promise<unknown>]> = [
  ['image', 'checkImage', (bytes) => checkImage(bytes, wan25.image)],
  ['picture', 'fitPicture', (bytes) => fitPicture(bytes, pictureLimitsFor(wan25.image))],
  ['audio', 'checkAudio', (bytes) => checkAudio(bytes, wan25.audio)],
];

async function settle(run: () => Promise<unknown>): Promise<{ value?: unknown; error?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    return { value: await Promise.race([run(), deadline]) };
  } catch (error) {
    return { error };
  } finally {
    clearTimeout(timer);
  }
}

describe(`media checks under fuzzing (seed ${SEED})`, () => {
  const samples: Sample[] = [];

  beforeAll(async () => {
    const noisy = () => noisyImage(400, 380);
    const built: Array<[string, Promise<Buffer> | Buffer]> = [
      ['png', noisy().png().toBuffer()],
      ['palette png', noisy().png({ palette: true }).toBuffer()],
      ['interlaced png', noisy().png({ progressive: true }).toBuffer()],
      ['jpeg', noisy().jpeg().toBuffer()],
      ['progressive jpeg', noisy().jpeg({ progressive: true }).toBuffer()],
      ['exif-rotated jpeg', exifRotatedJpeg(400, 380)],
      ['webp', noisy().webp().toBuffer()],
      ['lossless webp', noisy().webp({ lossless: true }).toBuffer()],
      ['animated webp', animatedWebp(400, 400)],
      ['gif', noisy().gif().toBuffer()],
      ['bmp', writeBmp(400, 380)],
      ['small bmp', writeBmp(300, 200)],
      ['bmp with alpha', writeBmpWithAlpha(360, 360, (x) => x % 256)],
      ['tiff', noisy().tiff().toBuffer()],
      ['png with alpha', noisy().ensureAlpha(0.5).png().toBuffer()],
      ['pixel bomb png', pixelBombPng(100_000, 100_000)],
      ['wav', writeWav(5)],
      ['mp3', readFile(new URL('../../fixtures/audio/tone-5s.mp3', import.meta.url))],
      ['svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"/>')],
    ];
    for (const [name, bytes] of built) samples.push({ name, bytes: await bytes });
    // Sanity: the unmutated pictures pass, so the fuzzing starts from files worth damaging.
    expect((await checkImage(samples[0]!.bytes, wan25.image)).format).toBe('png');
    expect((await checkAudio(samples.find((s) => s.name === 'mp3')!.bytes, wan25.audio)).format).toBe('mp3');
  });

  it(`answers ${CASES} random and mutated files with a result in range or an InputError`, async () => {
    const rng = rngFrom(SEED);
    const names = Object.keys(mutations);
    const problems: string[] = [];
    const acceptedCount = { image: 0, picture: 0, audio: 0 };
    for (let index = 0; index < CASES; index += 1) {
      const sample = rng.pick(samples);
      const mutation = rng.pick(names);
      const { bytes, how } = mutations[mutation]!(sample.bytes, rng, samples);
      for (const [kind, name, check] of CHECKS) {
        const outcome = await settle(() => check(bytes));
        if (!('error' in outcome)) acceptedCount[kind] += 1;
        const problem = verdict(kind, bytes, outcome);
        if (problem) problems.push(`case ${index}: ${name}(${sample.name}, ${mutation}: ${how}) ${problem}`);
      }
    }
    expect(problems, `FUZZ_SEED=${SEED} reproduces these`).toEqual([]);
    // Mutations that leave a file usable (a flipped pixel bit, a payload after the end) must pass too,
    // or the run proves only that everything is refused.
    expect(acceptedCount.image, `FUZZ_SEED=${SEED}`).toBeGreaterThan(0);
    expect(acceptedCount.picture, `FUZZ_SEED=${SEED}`).toBeGreaterThan(acceptedCount.image);
    expect(acceptedCount.audio, `FUZZ_SEED=${SEED}`).toBeGreaterThan(0);
  });

  it('reproduces the same files from the same seed', () => {
    const first = rngFrom(SEED);
    const second = rngFrom(SEED);
    expect(first.bytes(64).equals(second.bytes(64))).toBe(true);
  });
});
