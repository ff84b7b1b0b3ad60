import { afterEach, describe, expect, it } from 'vitest';
import { falInfraError, step } from '../fakes/fakeFal.js';
import { animate, contentOf, finalMessage, startHarness, type Harness, type HarnessOptions } from '../support/harness.js';
import { makeImage } from '../support/images.js';

/** fal misbehaving at each step: the member hears a clear sentence, no job is paid twice, nothing is lost. */
describe('fal faults', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function run(options: HarnessOptions) {
    harness = await startHarness(options);
    const handle = await animate(harness, { image: await makeImage(512, 512) });
    const final = await finalMessage(handle);
    await harness.app.jobs.idle();
    const [job] = await harness.app.jobRepository.inStates(['delivered', 'failed', 'cancelled']);
    return { h: harness, handle, final, text: contentOf(final), job: job! };
  }

  it('with submit retries off (FAL_SUBMIT_RETRY_SECONDS=0), does not retry a submit fal answered 429, and tells the member fal is busy', async () => {
    const { h, text, job } = await run({
      falScript: [step.submitRejected(falInfraError(429, 'rate_limited', true))],
      env: { FAL_SUBMIT_RETRY_SECONDS: '0' },
    });
    expect(h.fal.callsTo('submit')).toHaveLength(1);
    expect(text).toMatch(/fal is busy/);
    expect(job.state).toBe('failed');
    expect(job.errorCode).toBe('rate_limited');
  });

  it('does not retry a submit fal answered 503 without Retry-After, and says fal has no capacity', async () => {
    const { h, text, job } = await run({ falScript: [step.submitRejected(falInfraError(503, 'runner_scheduling_failure', true))] });
    expect(h.fal.callsTo('submit')).toHaveLength(1);
    expect(text).toMatch(/no capacity/);
    expect(job.errorCode).toBe('runner_scheduling_failure');
  });

  it('never submits twice when the submit outcome is unknown (504 after fal queued it)', async () => {
    const { h, text, job } = await run({ falScript: [step.submitAnswerLost(falInfraError(504, 'request_timeout', true)), step.completes()] });
    expect(h.fal.callsTo('submit')).toHaveLength(1);
    expect(h.fal.submits).toHaveLength(1);
    expect(text).toMatch(/did not confirm/);
    expect(job.errorCode).toBe('submit_outcome_unknown');
  });

  it('rides out a 503 on a status check and still delivers', async () => {
    const { h, text, job } = await run({ falScript: [step.statusFails(falInfraError(503, 'runner_unavailable', true)), step.queued(0), step.running('x'), step.completes()] });
    expect(text).toContain('✅');
    expect(job.state).toBe('delivered');
    expect(h.fal.callsTo('status').filter((c) => c.status === 503)).toHaveLength(1);
  });

  it('stops asking when fal says a failed status check is not worth retrying (X-Fal-Retryable: false)', async () => {
    const { h, text, job } = await run({
      // Asked again, fal would have answered: the job fails only if the bot stops asking.
      falScript: [step.statusFails({ status: 410, body: { detail: 'gone' }, headers: { 'x-fal-retryable': 'false' } }), step.completes()],
    });
    expect(h.fal.callsTo('status')).toHaveLength(1);
    expect(job.state).toBe('failed');
    expect(text).toMatch(/no longer has this job/);
  });

  it('fails cleanly when the result has expired (404)', async () => {
    const { text, job } = await run({ falScript: [step.queued(0), step.running('x'), step.fails({ status: 404, body: { detail: 'Request not found' } })] });
    expect(text).toMatch(/no longer has this job/);
    expect(job.errorCode).toBe('not_found');
  });

  it('cancels and refunds a job stuck in the queue past the limit', async () => {
    const { h, text, job } = await run({ env: { QUEUE_MAX_WAIT_SECONDS: '1' }, falScript: [step.queued(7), step.waitsInQueue(), step.completes()] });
    expect(text).toMatch(/queue was too long/);
    expect(job.errorCode).toBe('queue_timeout');
    expect(h.fal.callsTo('cancel')).toHaveLength(1);
    expect(h.fal.statusOf(job.requestId!)).toBe('CANCELLED');
  });

  it('fails a job when the storage upload fails, before anything is submitted', async () => {
    harness = await startHarness();
    harness.fal.failUploads({ status: 500, body: { detail: 'storage down' } });
    const handle = await animate(harness, { image: await makeImage(512, 512) });
    const text = contentOf(await finalMessage(handle));
    expect(text).toMatch(/could not upload your file to fal/);
    expect(harness.fal.callsTo('submit')).toHaveLength(0);
  });

  it('sends the link when the video download keeps failing', async () => {
    const { h, final, job } = await run({ falScript: [step.queued(0), step.running('x'), step.completes(), step.everyDownloadFails({ status: 500 })] });
    expect(contentOf(final)).toContain('✅');
    expect(final.files).toHaveLength(0);
    expect(final.body.embeds?.[0]?.url).toBe(job.videoUrl);
    expect(job.state).toBe('delivered');
    expect(h.fal.callsTo('cdn').length).toBe(3);
  });

  it('never delivers a truncated video: it retries, then sends the link', async () => {
    const { final, job } = await run({ falScript: [step.queued(0), step.running('x'), step.completes(), step.everyDownloadBreaksOff()] });
    expect(contentOf(final)).toContain('✅');
    expect(final.files).toHaveLength(0);
    expect(contentOf(final)).toContain(job.videoUrl!);
  });

  it('never submits twice when the submit answer breaks off after the headers', async () => {
    const { h, text, job } = await run({ falScript: [step.submitAnswerBreaksOff(), step.completes()] });
    expect(h.fal.callsTo('submit')).toHaveLength(1);
    expect(h.fal.submits).toHaveLength(1);
    expect(text).toMatch(/did not confirm/);
    expect(job.errorCode).toBe('submit_outcome_unknown');
  });

  it('keeps asking for the result of a finished job through a passing 503', async () => {
    const { h, text, job } = await run({
      falScript: [step.queued(0), step.running('x'), step.completes(), step.resultFailsOnce(falInfraError(503, 'runner_unavailable', true))],
    });
    expect(text).toContain('✅');
    expect(job.state).toBe('delivered');
    expect(h.fal.callsTo('result').map((c) => c.status)).toEqual([503, 200]);
  });

  it('follows a job fal puts back in line after a runner failed, and delivers it', async () => {
    const { h, text, job } = await run({
      falScript: [
        step.queued(0),
        step.running('a'),
        step.running('b'),
        step.queued(0), // a runner failed: fal puts the job back in line
        step.running('a'),
        step.completes(),
      ],
    });
    expect(text).toContain('✅');
    expect(job.state).toBe('delivered');
    const states = (await h.app.jobRepository.events(job.id)).map((e) => e.to);
    expect(states.indexOf('queued', states.indexOf('running'))).toBeGreaterThan(-1);
  });

  it('collects a video fal finished while the bot was down longer than the job deadline', async () => {
    let offsetMs = 0;
    harness = await startHarness({ now: () => Date.now() + offsetMs, falScript: [step.queued(0), step.running('x'), step.hangs(), step.completes()] });
    const h = harness;
    const handle = await animate(h, { image: await makeImage(512, 512) });
    const requestId = await h.fal.waitFor(() => h.fal.submits[0]?.requestId);
    await h.discord.waitFor(() => h.fal.statusOf(requestId) === 'IN_PROGRESS');
    await h.app.stop();
    h.fal.release(requestId);
    offsetMs = 25 * 60_000; // down for 25 minutes; the deadline is 20
    await h.restart();
    // The interaction token is long gone too, so the video arrives in the channel.
    const post = await h.discord.waitFor(() => h.discord.channelMessages[0]);
    expect(post.body.content).toContain('✅');
    expect(post.files).toHaveLength(1);
    expect(handle.events().some((e) => /❌/.test(contentOf(e)))).toBe(false);
    expect(h.fal.callsTo('cancel')).toHaveLength(0);
  });
});
