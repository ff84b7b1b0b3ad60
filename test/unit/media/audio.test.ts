import { readFile } from 'node:fs/promises';
import { wan25 } from '../../../src/fal/models/wan25.js';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { checkAudio } from '../../../src/media/audio.js';
import { writeWav } from '../../support/mediaFiles.js';

const fixture = (name: string) => readFile(new URL(`../../fixtures/audio/${name}`, import.meta.url));

async function rejection(bytes: Buffer): Promise<string> {
  const error: unknown = await checkAudio(bytes, wan25.audio).then(
    () => new Error('expected checkAudio to reject'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).memberMessage;
}

const DAMAGED = 'The audio file is empty or damaged and could not be read.';

describe('checkAudio', () => {
  it('accepts a 5 s MP3 and measures it', async () => {
    const bytes = await fixture('tone-5s.mp3');
    const checked = await checkAudio(bytes, wan25.audio);
    expect(checked).toMatchObject({ bytes, format: 'mp3', mimeType: 'audio/mpeg', extension: 'mp3' });
    // Whole 72 ms frames, encoder delay and padding included: a bit over 5 s.
    expect(checked.durationSeconds).toBeCloseTo(5.184, 3);
  });

  it('rejects a 2.9 s WAV with its length, never rounded up into the allowed range', async () => {
    expect(await rejection(await fixture('tone-2.9s.wav'))).toBe(
      'The audio is 2.9 s long; it must be between 3 and 30 s.',
    );
  });

  it('rejects a 30.1 s MP3 with its measured length', async () => {
    // music-metadata measures 30.312 s (frames + padding); rounding up keeps it visibly over.
    expect(await rejection(await fixture('tone-30.1s.mp3'))).toBe(
      'The audio is 30.4 s long; it must be between 3 and 30 s.',
    );
  });

  it.each([3, 30])('accepts a WAV of exactly %i s', async (seconds) => {
    const checked = await checkAudio(writeWav(seconds), wan25.audio);
    expect(checked).toMatchObject({ format: 'wav', mimeType: 'audio/wav', extension: 'wav', durationSeconds: seconds });
  });

  it.each([
    [2.999, 'The audio is 2.9 s long; it must be between 3 and 30 s.'],
    [30.001, 'The audio is 30.1 s long; it must be between 3 and 30 s.'],
  ])('rejects a WAV of %f s', async (seconds, message) => {
    expect(await rejection(writeWav(seconds))).toBe(message);
  });

  it('rejects a WAV with no samples as damaged (duration must be above zero)', async () => {
    expect(await rejection(writeWav(0))).toBe(DAMAGED);
  });

  it('rejects a zero-byte file as empty', async () => {
    expect(await rejection(Buffer.alloc(0))).toBe(DAMAGED);
  });

  it('rejects an MP3 cut inside its ID3 tag as damaged', async () => {
    // An ID3v2 header declaring a ~2 MB tag (sync-safe 0x7f7f7f) over 64 bytes.
    const bytes = Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0x7f, 0x7f, 0x7f]), Buffer.alloc(64, 0x78)]);
    expect(await rejection(bytes)).toBe(DAMAGED);
  });

  it('rejects an MP3 cut before its first frame as damaged', async () => {
    expect(await rejection((await fixture('tone-5s.mp3')).subarray(0, 50))).toBe(DAMAGED);
  });

  it('says "under 0.1 s" rather than "0.0 s" for a WAV cut to a few samples', async () => {
    expect(await rejection(writeWav(5).subarray(0, 100))).toBe(
      'The audio is under 0.1 s long; it must be between 3 and 30 s.',
    );
  });

  it('rejects a file over the byte cap before parsing it', async () => {
    const bytes = Buffer.alloc(wan25.audio.maxBytes + 1);
    expect(await rejection(bytes)).toBe('The audio file is 15.1 MB; the limit is 15 MB.');
  });

  it.each([
    ['text', Buffer.from('la la la, this is my song\n'), ' It looks like a text file.'],
    ['a FLAC header', Buffer.concat([Buffer.from('fLaC'), Buffer.alloc(64)]), ' It looks like a FLAC file.'],
    ['random bytes', Buffer.from([0x00, 0x01, 0x02, 0x03, 0xfe, 0x00, 0x7f, 0x10]), ''],
  ])('rejects %s as not WAV or MP3', async (_label, bytes, hint) => {
    expect(await rejection(bytes)).toBe(`That file is not audio the model can use: audio must be WAV or MP3.${hint}`);
  });

  it('rejects a picture sent as audio, by its bytes', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer();
    expect(await rejection(png)).toMatch(/audio must be WAV or MP3\. It looks like a PNG picture\.$/);
  });
});
