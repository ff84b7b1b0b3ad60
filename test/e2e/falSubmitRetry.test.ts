import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_FAL_SCRIPT, falInfraError, step, type FalErrorResponse } from '../fakes/fakeFal.js';
import { animate, contentOf, finalMessage, startHarness, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';

const BUSY = falInfraError(429, 'rate_limited', true);
const WAITING_LINE = /fal is busy — the bot keeps trying/;

function withRetryAfter(error: FalErrorResponse, seconds: number): FalErrorResponse {
  return { ...error, headers: { ...error.headers, 'Retry-After': String(seconds) } };
}

/** fal's "busy" answers to a submit say nothing was queued: the bot tries again for a while (FAL_SUBMIT_RETRY_SECONDS). */
describe('submit retries while fal is busy', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function run(env: Record<string, string>, scripts: (h: Harness) => void) {
    harness = await startHarness({ env, submitBackoffMs: 150 });
    scripts(harness);
    const handle = await animate(harness, { image: await makeImage(512, 512) });
    const final = await finalMessage(handle);
    await harness.app.jobs.idle();
    const [job] = await harness.app.jobRepository.inStates(['delivered', 'failed', 'cancelled']);
    const shown = handle.events().map(contentOf);
    return { h: harness, text: contentOf(final), job: job!, shown };
  }

  it('retries a 429 with backoff, shows the member it waits for fal, then delivers one paid job', async () => {
    const { h, text, job, shown } = await run({}, (h) => {
      h.fal.scriptNext([step.submitRejected(BUSY)]);
      h.fal.scriptNext([step.submitRejected(BUSY)]);
      h.fal.scriptNext(DEFAULT_FAL_SCRIPT);
    });
    expect(text).toContain('✅');
    expect(job.state).toBe('delivered');
    expect(h.fal.callsTo('submit').map((call) => call.status)).toEqual([429, 429, 200]);
    expect(h.fal.submits).toHaveLength(1);
    expect(shown.some((content) => WAITING_LINE.test(content))).toBe(true);
    // Backoff doubles: 150 ms, then 300 ms between the attempts.
    const [first, second, third] = h.fal.callsTo('submit').map((call) => call.at);
    expect(second! - first!).toBeGreaterThanOrEqual(140);
    expect(third! - second!).toBeGreaterThanOrEqual(290);
  });

  it("honours a 503's Retry-After before submitting again", async () => {
    const { h, job } = await run({}, (h) => {
      h.fal.scriptNext([step.submitRejected(withRetryAfter(falInfraError(503, 'runner_scheduling_failure', true), 1))]);
      h.fal.scriptNext(DEFAULT_FAL_SCRIPT);
    });
    expect(job.state).toBe('delivered');
    const [first, second] = h.fal.callsTo('submit').map((call) => call.at);
    expect(second! - first!).toBeGreaterThanOrEqual(950);
  });

  it('gives up after FAL_SUBMIT_RETRY_SECONDS, refunds, and says fal is busy', async () => {
    const { h, text, job, shown } = await run({ FAL_SUBMIT_RETRY_SECONDS: '1' }, (h) => h.fal.setDefaultScript([step.submitRejected(BUSY)]));
    expect(job.state).toBe('failed');
    expect(job.errorCode).toBe('fal_busy');
    expect(job.charged).toBe(false);
    expect(text).toMatch(/fal is busy: the bot tried for a minute and could not hand your job over/);
    expect(text).toMatch(/not charged/i);
    expect(shown.some((content) => WAITING_LINE.test(content))).toBe(true);
    expect(h.fal.submits).toHaveLength(0);
    // 150 + 300 + 600 ms fit in the second; the next wait (1200 ms) would not.
    expect(h.fal.callsTo('submit').length).toBeGreaterThanOrEqual(3);
    expect(h.fal.callsTo('submit').length).toBeLessThanOrEqual(4);
    await h.app.ledger.idle();
    const kinds = (await h.app.store.db.selectFrom('quota_ledger').select('kind').where('job_id', '=', job.id).execute()).map((row) => row.kind);
    expect(kinds.sort()).toEqual(['refund', 'reserve']);
  });

  it('never retries a submit whose outcome is unknown', async () => {
    const { h, job } = await run({}, (h) => h.fal.scriptNext([step.submitAnswerLost(falInfraError(504, 'request_timeout', true)), step.completes()]));
    expect(job.errorCode).toBe('submit_outcome_unknown');
    expect(h.fal.callsTo('submit')).toHaveLength(1);
  });
});
