import { afterEach, describe, expect, it } from 'vitest';
import { falInfraError, falValidationError, step } from '../fakes/fakeFal.js';
import { animate, contentOf, finalMessage, startHarness, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';

describe('/animate when fal fails', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function failedRun(h: Harness) {
    const handle = await animate(h, { image: await makeImage(512, 512) });
    const final = await finalMessage(handle);
    await h.app.jobs.idle();
    const [job] = await h.app.jobRepository.inStates(['failed']);
    return { text: contentOf(final), job, final };
  }

  const rejections: Array<[string, RegExp]> = [
    ['content_policy_violation', /safety checker/],
    ['file_download_error', /could not download the picture/],
    ['image_too_large', /too large for the model/],
    ['image_too_small', /too small for the model/],
    ['image_load_error', /could not read the picture/],
    ['file_too_large', /file is too large/],
    ['unsupported_image_format', /cannot use this picture format/],
    ['audio_duration_too_long', /audio is too long/],
    ['audio_duration_too_short', /audio is too short/],
    ['one_of', /did not accept one of the settings/],
  ];

  it.each(rejections)('tells the member what a 422 %s means, without raw JSON', async (type, pattern) => {
    harness = await startHarness({ falScript: [step.queued(0), step.running('x'), step.fails(falValidationError(type))] });
    const { text, job } = await failedRun(harness);
    expect(text).toMatch(pattern);
    expect(text).toMatch(/not charged/);
    expect(text).not.toMatch(/detail|"type"|loc|\{/);
    expect(job?.errorCode).toBe(type);
    expect(job?.requestId).toBe(harness.fal.submits[0]!.requestId);
  });

  it('says fal had an internal error on a 500 result', async () => {
    harness = await startHarness({ falScript: [step.queued(0), step.running('x'), step.fails(falInfraError(500, 'internal_server_error', false))] });
    const { text, job } = await failedRun(harness);
    expect(text).toMatch(/internal error/);
    expect(job?.errorCode).toBe('internal_server_error');
  });

  it('refuses to retry a submit fal answered with 500, and fails cleanly', async () => {
    harness = await startHarness({ falScript: [step.submitRejected(falInfraError(500, 'internal_server_error', false))] });
    const { text, job } = await failedRun(harness);
    expect(harness.fal.callsTo('submit')).toHaveLength(1);
    expect(harness.fal.submits).toHaveLength(0);
    expect(text).toMatch(/internal error/);
    expect(job?.requestId).toBeNull();
  });

  it('gives up on a job that hangs past the configured wait, and cancels it at fal', async () => {
    harness = await startHarness({ env: { JOB_MAX_WAIT_SECONDS: '1' }, falScript: [step.queued(0), step.running('x'), step.hangs(), step.completes()] });
    const { text, job } = await failedRun(harness);
    expect(text).toMatch(/did not finish your video within/);
    expect(job?.errorCode).toBe('max_wait_exceeded');
    expect(harness.fal.callsTo('cancel')).toHaveLength(1);
  });
});
