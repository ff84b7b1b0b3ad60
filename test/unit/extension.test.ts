import { describe, expect, it } from 'vitest';
import { InputError, UnavailableError } from '../../src/errors.js';
import { wan25 } from '../../src/fal/models/wan25.js';
import { MAX_EXTENDED_SECONDS, extensionOffer, extensionRequest } from '../../src/jobs/extension.js';
import { aJob } from '../support/jobs.js';

const delivered = aJob({
  id: 'parent-1',
  state: 'delivered',
  resolution: '720p',
  durationSeconds: 10,
  totalDurationSeconds: 10,
  negativePrompt: 'blur',
  promptExpansion: false,
  videoUrl: 'https://v3.fal.media/files/a/output.mp4',
});

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError || error instanceof UnavailableError) return error.memberMessage;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('extensionOffer', () => {
  it('offers the same length at the same price, and says how long the video becomes', () => {
    expect(extensionOffer(delivered, wan25, true)).toMatchObject({ prompt: 'a cat waves', durationSeconds: 10, costCents: 100, totalSeconds: 20 });
  });

  it(`allows extending up to ${MAX_EXTENDED_SECONDS} s and not a second beyond`, () => {
    expect(extensionOffer({ ...delivered, totalDurationSeconds: 20 }, wan25, true).totalSeconds).toBe(30);
    expect(refusal(() => extensionOffer({ ...delivered, totalDurationSeconds: 25 }, wan25, true))).toBe(
      'This video is already 25 s long; another 10 s would make it longer than 30 s, the most a video can be extended to.',
    );
  });

  it('refuses a job that is gone, unfinished or without a video, and any extension without ffmpeg', () => {
    expect(refusal(() => extensionOffer(undefined, undefined, true))).toMatch(/cannot find this video/);
    expect(refusal(() => extensionOffer({ ...delivered, state: 'running' }, wan25, true))).toMatch(/Only a finished video/);
    expect(refusal(() => extensionOffer({ ...delivered, videoUrl: null }, wan25, true))).toMatch(/Only a finished video/);
    expect(refusal(() => extensionOffer(delivered, wan25, false))).toMatch(/switched off/);
  });
});

describe('extensionRequest', () => {
  it("keeps the video's model and settings, takes the new prompt and a fresh seed, and starts from the whole video so far", () => {
    const parent = { ...delivered, seed: 42, fullVideoUrl: 'https://v3.fal.media/files/uploads/joined.mp4' };
    const request = extensionRequest(extensionOffer(parent, wan25, true), wan25, '  the cat jumps  ', {
      guildId: 'g',
      channelId: 'c',
      userId: 'clicker',
    });
    expect(request).toMatchObject({
      model: 'wan-25',
      userId: 'clicker',
      prompt: 'the cat jumps',
      negativePrompt: 'blur',
      resolution: '720p',
      durationSeconds: 10,
      seed: undefined,
      promptExpansion: false,
      audio: undefined,
      image: { url: 'https://v3.fal.media/files/uploads/joined.mp4' },
      extension: { parentJobId: 'parent-1', totalDurationSeconds: 20 },
    });
  });

  it('checks the new prompt like any other', () => {
    const offer = extensionOffer(delivered, wan25, true);
    expect(refusal(() => extensionRequest(offer, wan25, '   ', { guildId: 'g', channelId: 'c', userId: 'u' }))).toMatch(/prompt is empty/);
  });
});
