import { afterEach, describe, expect, it } from 'vitest';
import { falInfraError, step, type FalScript } from '../fakes/fakeFal.js';
import { animate, contentOf, finalMessage, startHarness, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';

/**
 * Without webhooks the bot follows fal's status stream (FAL_STATUS_MODE=stream,
 * the default): news as fal sends it, so the video goes out as soon as fal
 * says COMPLETED, with one status request per job instead of one per poll.
 */
describe("fal's status stream", () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  const start = (script: FalScript) =>
    startHarness({ falScript: script, env: { FAL_STATUS_MODE: 'stream', POLL_INTERVAL_MS: '200' } });

  it('follows one stream from the queue to the video: no status polls, four fal calls in all', async () => {
    const h = (harness = await start([step.queued(2), step.queued(1), step.running('Loading model'), step.running('Generating'), step.completes()]));
    const handle = await animate(h, { image: await makeImage(640, 480) });
    const final = await finalMessage(handle);
    await h.app.jobs.idle();
    expect(contentOf(final)).toContain('✅');
    const statusCalls = h.fal.callsTo('status');
    expect(statusCalls.map((call) => call.path)).toEqual([expect.stringMatching(/\/status\/stream$/)]);
    // The member saw the place in line and the running phase that the stream told of.
    const progress = handle.events().map(contentOf).join('\n');
    expect(progress).toMatch(/#[12]|line/i);
    const calls = (['upload', 'submit', 'status', 'result', 'cancel'] as const).map((kind) => h.fal.callsTo(kind).length);
    expect(calls).toEqual([1, 1, 1, 1, 0]);
    const [job] = await h.app.jobRepository.inStates(['delivered']);
    expect(job?.startedAt).not.toBeNull();
  });

  it('opens the stream again when it breaks off, and still delivers once', async () => {
    const h = (harness = await start([step.queued(0), step.statusFails(falInfraError(503, 'unavailable', true)), step.running('Generating'), step.completes()]));
    const handle = await animate(h, { image: await makeImage(640, 480) });
    const final = await finalMessage(handle);
    await h.app.jobs.idle();
    expect(contentOf(final)).toContain('✅');
    // The stream that broke, one status read after the pause (deadlines), and the stream opened again.
    const paths = h.fal.callsTo('status').map((call) => (call.path.endsWith('/status/stream') ? 'stream' : 'read'));
    expect(paths).toEqual(['stream', 'read', 'stream']);
    expect(h.fal.callsTo('submit')).toHaveLength(1);
    expect(handle.events().filter((event) => event.files.length > 0)).toHaveLength(1);
    expect(h.logLines.some((line) => line.includes('fal status stream broke off'))).toBe(true);
  });
});
