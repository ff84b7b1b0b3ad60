// The fake fal's script language on its own: which scripts it accepts, and how a job walks one.
// Wire behaviour (the real client against the fake) is in test/integration/fakeFal.test.ts.
import { describe, expect, it } from 'vitest';
import { falInfraError, falValidationError } from '../fakes/fal/errors.js';
import { FakeJob } from '../fakes/fal/job.js';
import { DEFAULT_FAL_SCRIPT, checkScript, step, type FalScript } from '../fakes/fal/scripts.js';

const BUSY = falInfraError(503, 'runner_unavailable');
const TOO_SMALL = falValidationError('image_too_small');

function jobFor(script: FalScript): { job: FakeJob; published: string[] } {
  const published: string[] = [];
  const job = new FakeJob('req-1', { prompt: 'a cat' }, checkScript(script), {
    publishVideo: () => {
      published.push('video');
      return 'https://v3.fal.media/files/x/output.mp4';
    },
  });
  return { job, published };
}

/** What each status call sees: the state (with the place in line), or the error status. */
function statusCalls(job: FakeJob, count: number): string[] {
  return Array.from({ length: count }, () => {
    const error = job.takeStatusCall();
    if (error) return String(error.status);
    return job.state === 'IN_QUEUE' ? `IN_QUEUE ${job.queuePosition}` : job.state;
  });
}

describe('checkScript', () => {
  it.each<[string, FalScript, RegExp]>([
    ['an empty script', [], /at least one step/],
    ['no finish', [step.queued(0), step.running('x')], /finish exactly once/],
    ['two finishes', [step.completes(), step.fails(TOO_SMALL)], /finish exactly once/],
    ['a status step after the finish', [step.completes(), step.queued(0)], /step 2 \(queued\) must come before/],
    ['a result step before the finish', [step.resultFailsOnce(BUSY), step.completes()], /step 1 \(resultFailsOnce\) must come after/],
    ['a download step after fails()', [step.fails(TOO_SMALL), step.downloadsWait()], /needs a video/],
    ['a submit step that is not first', [step.queued(0), step.submitAnswerHeld(), step.completes()], /step 2 \(submitAnswerHeld\) .* must come first/],
    ['more after submitRejected()', [step.submitRejected(BUSY), step.completes()], /must be the only step/],
  ])('refuses %s', (_label, script, problem) => {
    expect(() => checkScript(script)).toThrow(problem);
  });

  it('accepts the default script, a rejected submit alone, and steps in their places', () => {
    expect(checkScript(DEFAULT_FAL_SCRIPT)).toBe(DEFAULT_FAL_SCRIPT);
    expect(() => checkScript([step.submitRejected(BUSY)])).not.toThrow();
    expect(() =>
      checkScript([
        step.submitAnswerHeld(),
        step.statusFails(BUSY),
        step.queued(1),
        step.waitsInQueue(),
        step.running('x'),
        step.hangs(),
        step.completes(),
        step.resultFailsOnce(BUSY),
        step.everyDownloadBreaksOff(),
        step.downloadsWait(),
      ]),
    ).not.toThrow();
  });
});

describe('a fake job walking its script', () => {
  it('takes one status step per status call, and stays finished', () => {
    const { job, published } = jobFor([step.queued(2), step.queued(0), step.running('a'), step.running('b'), step.completes()]);
    expect(job.queuePosition).toBe(2); // what the submit's answer tells
    expect(statusCalls(job, 6)).toEqual(['IN_QUEUE 2', 'IN_QUEUE 0', 'IN_PROGRESS', 'IN_PROGRESS', 'COMPLETED', 'COMPLETED']);
    expect(job.logs.map((log) => log.message)).toEqual(['a', 'b']);
    expect(published).toEqual(['video']);
    expect(job.videoUrl).toMatch(/output\.mp4$/);
  });

  it('answers a status error without moving the job', () => {
    const { job } = jobFor([step.queued(1), step.statusFails(BUSY), step.completes()]);
    expect(statusCalls(job, 3)).toEqual(['IN_QUEUE 1', '503', 'COMPLETED']);
  });

  it('holds at each hold until released, one release per hold', () => {
    const { job } = jobFor([step.queued(3), step.waitsInQueue(), step.running('x'), step.hangs(), step.completes()]);
    expect(statusCalls(job, 3)).toEqual(['IN_QUEUE 3', 'IN_QUEUE 3', 'IN_QUEUE 3']);
    job.release();
    expect(statusCalls(job, 3)).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS']);
    job.release();
    expect(statusCalls(job, 1)).toEqual(['COMPLETED']);
    expect(() => job.release()).toThrow(/holds nothing/);
  });

  it('keeps the error of fails() for the result and publishes no video', () => {
    const { job, published } = jobFor([step.running('x'), step.fails(TOO_SMALL)]);
    statusCalls(job, 2);
    expect(job.outcome).toEqual({ kind: 'error', error: TOO_SMALL });
    expect(published).toEqual([]);
  });

  it('fails result calls once per resultFailsOnce step, in order', () => {
    const other = falInfraError(502, 'bad_gateway');
    const { job } = jobFor([step.completes(), step.resultFailsOnce(BUSY), step.resultFailsOnce(other)]);
    statusCalls(job, 1);
    expect([job.takeResultCall(), job.takeResultCall(), job.takeResultCall()]).toEqual([BUSY, other, undefined]);
  });

  it('sets how the video is served the moment it completes', () => {
    const { job } = jobFor([step.completes(), step.everyDownloadFails(BUSY), step.everyDownloadBreaksOff(), step.downloadsWait()]);
    expect(job.videoServing).toEqual({});
    statusCalls(job, 1);
    expect(job.videoServing).toMatchObject({ error: BUSY, breaksOff: true });
    expect(job.videoServing.heldUntil).toBeInstanceOf(Promise);
  });

  it('cancels only while in line', () => {
    const queued = jobFor([step.queued(1), step.running('x'), step.completes()]).job;
    expect(queued.cancel()).toBe(true);
    expect(statusCalls(queued, 1)).toEqual(['CANCELLED']);
    const running = jobFor([step.running('x'), step.completes()]).job;
    statusCalls(running, 1);
    expect(running.cancel()).toBe(false);
  });
});
