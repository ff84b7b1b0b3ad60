import { afterEach, describe, expect, it } from 'vitest';
import { step } from '../fakes/fakeFal.js';
import type { InteractionHandle } from '../fakes/fakeDiscord.js';
import { wan25 } from '../../src/fal/models/wan25.js';
import { MIN_HISTORY_SAMPLES } from '../../src/jobs/eta.js';
import { animate, contentOf, finalMessage, startHarness, waitForJobIn, type Harness } from '../support/harness.js';
import { ENGINES } from '../support/engines.js';
import { makeImage } from '../support/images.js';

const TIMESTAMP = /<t:(\d+):R>/;

/** The estimate (`<t:UNIX:R>`, in seconds) of every progress edit that shows one, in order. */
function estimatesShown(handle: InteractionHandle): number[] {
  return handle
    .events()
    .filter((event) => event.kind === 'edit')
    .flatMap((event) => {
      const match = TIMESTAMP.exec(contentOf(event));
      return match ? [Number(match[1])] : [];
    });
}

function unixSeconds(ms: number): number {
  return Math.ceil(ms / 1000);
}

describe('estimates on the progress message', () => {
  let harness: Harness;
  afterEach(async () => {
    await harness.close();
  });

  it('shows when the video should be ready as a Discord timestamp, with a bar, and revises it as the job moves', async () => {
    harness = await startHarness();
    // Held in line at place 4 until released, then held running: each phase surely reaches the reply.
    harness.fal.setDefaultScript([step.queued(4), step.waitsInQueue(), step.running('Generating'), step.hangs(), step.completes()]);
    const handle = await animate(harness, { image: await makeImage(512, 512) });

    const inLine = await handle.waitForEvent((event) => event.kind === 'edit' && /position 4/.test(contentOf(event)));
    const { requestId } = await waitForJobIn(harness, ['queued']);
    harness.fal.release(requestId!);
    const running = await handle.waitForEvent((event) => event.kind === 'edit' && /Making your video/.test(contentOf(event)));
    harness.fal.release(requestId!);
    const final = await finalMessage(handle);

    // Every progress edit carries the estimate and a bar.
    const progress = handle.events().filter((event) => event.kind === 'edit' && event !== final);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    for (const edit of progress) {
      expect(contentOf(edit)).toMatch(TIMESTAMP);
      expect(contentOf(edit)).toMatch(/[▰▱]{10} \d+ %/);
    }
    // Four places ahead (two runs at once) put it two runs plus its own later than once it runs.
    const queuedAt = Number(TIMESTAMP.exec(contentOf(inLine))?.[1]);
    const runningAt = Number(TIMESTAMP.exec(contentOf(running))?.[1]);
    const runMs = wan25.timings.runSeconds('1080p', 5) * 1000;
    expect(queuedAt - runningAt).toBeGreaterThanOrEqual((2 * runMs) / 1000 - 5);
    expect(new Set(estimatesShown(handle)).size).toBeGreaterThanOrEqual(2);
    expect(contentOf(final)).toMatch(/✅ Done in \d+:\d\d\./);
    expect(contentOf(final)).not.toMatch(TIMESTAMP);
  });

  describe.each(ENGINES)('drawn from history (%s)', (engine) => {
    it(`uses the model's figures until ${MIN_HISTORY_SAMPLES} jobs of the kind were delivered, then their median`, async () => {
      // A clock the test moves: every job waits exactly 20 s in fal's line and runs exactly 40 s.
      let clock = Date.now();
      harness = await startHarness({ engine, now: () => clock });
      harness.fal.setDefaultScript([step.waitsInQueue(), step.running('Generating'), step.hangs(), step.completes()]);
      const image = await makeImage(512, 512);

      /** Runs one 1080p 5 s job through the fake fal in 20 s + 40 s; returns its first estimate and its result. */
      const timedJob = async (): Promise<{ startedAt: number; firstEstimate: number; final: string }> => {
        const startedAt = clock;
        const handle = await animate(harness, { image });
        const firstEdit = await handle.waitForEvent((event) => event.kind === 'edit' && TIMESTAMP.test(contentOf(event)));
        const { requestId } = await waitForJobIn(harness, ['queued']);
        clock += 20_000;
        harness.fal.release(requestId!);
        await waitForJobIn(harness, ['running']);
        clock += 40_000;
        harness.fal.release(requestId!);
        const final = contentOf(await finalMessage(handle));
        await harness.app.jobs.idle();
        return { startedAt, firstEstimate: Number(TIMESTAMP.exec(contentOf(firstEdit))?.[1]), final };
      };

      const modelRunMs = wan25.timings.runSeconds('1080p', 5) * 1000;
      for (let delivered = 0; delivered < MIN_HISTORY_SAMPLES; delivered += 1) {
        const job = await timedJob();
        // Too little history: the model's 2 minutes, fal expected to start at once.
        expect(job.firstEstimate).toBe(unixSeconds(job.startedAt + modelRunMs));
        expect(job.final).toContain('✅ Done in 1:00.');
      }

      const sixth = await timedJob();
      // The median of five deliveries: 20 s in line + 40 s running.
      expect(sixth.firstEstimate).toBe(unixSeconds(sixth.startedAt + 60_000));
      expect(sixth.final).toContain('✅ Done in 1:00.');
    });
  });
});
