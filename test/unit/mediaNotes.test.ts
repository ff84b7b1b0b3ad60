import { describe, expect, it } from 'vitest';
import { renderDelivered, renderProgress } from '../../src/discord/format.js';
import { deliveryNotes, pictureNote } from '../../src/discord/mediaNotes.js';
import { messagesFor } from '../../src/i18n/text.js';
import { aJob } from '../support/jobs.js';

const en = messagesFor('en');
const de = messagesFor('de');
const file = { kind: 'file' as const, bytes: Buffer.alloc(10), fileName: 'a.mp4', url: 'https://v3.fal.media/files/x/output.mp4' };

describe('what the member reads about their media', () => {
  it('puts the picture line under the prompt of every message once the picture was prepared', () => {
    const job = aJob({ imageNote: 'made transparent parts white · scaled 3000×1800 → 2000×1200' });
    const line = '-# 🖼️ I adjusted your picture: made transparent parts white · scaled 3000×1800 → 2000×1200';
    const view = { phase: 'running' as const, queuePosition: null, elapsedMs: 1000, estimate: null, lastLog: null, cancellable: false };
    expect(renderProgress(job, view).split('\n')).toContain(line);
    expect(renderDelivered(job, file).split('\n')).toContain(line);
    expect(pictureNote(aJob(), en)).toBe('');
    expect(renderDelivered(aJob(), file)).not.toContain('adjusted');
  });

  it('says when the attached video is a smaller copy, with the link to the full-quality file', () => {
    const fitted = { ...file, fitted: { fullBytes: 31 * 1024 * 1024, width: 1280, height: 720 } };
    expect(deliveryNotes(aJob(), fitted, en)).toEqual([
      '-# Made smaller (1280×720) to fit the upload limit here. Full quality (31.0 MB): <https://v3.fal.media/files/x/output.mp4>',
    ]);
    expect(deliveryNotes(aJob(), file, en)).toEqual([]);
  });

  it('says how long an extended video now is, or that the new part came alone', () => {
    const extended = aJob({ parentJobId: 'p', durationSeconds: 5, totalDurationSeconds: 15, fullVideoUrl: 'https://v3.fal.media/files/uploads/j.mp4' });
    expect(deliveryNotes(extended, file, en)).toEqual(['⏩ Extended by 5 s: the video is now 15 s long.']);
    expect(deliveryNotes({ ...extended, fullVideoUrl: null }, file, en)).toEqual([
      '⏩ I could not join this to the earlier video, so here is the new 5 s on its own.',
    ]);
    // In the member's language when they wrote in German.
    expect(deliveryNotes(extended, file, de)).toEqual(['⏩ Um 5 s verlängert: Das Video ist jetzt 15 s lang.']);
    expect(renderDelivered({ ...extended, locale: 'de' }, file)).toContain('⏩ Um 5 s verlängert');
  });
});
