import { afterEach, describe, expect, it } from 'vitest';
import { step } from '../fakes/fakeFal.js';
import { ENGINES } from '../support/engines.js';
import { animate, contentOf, finalMessage, startHarness, waitForJobIn, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';

describe.each(ENGINES)('settling money across restarts (%s)', (engine) => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  const kinds = async (h: Harness, jobId: string) => (await h.app.ledger.movements(jobId)).map((m) => m.kind);

  it('refunds, on the next start, a job that ended failed just before a crash left its refund unwritten', async () => {
    const h = (harness = await startHarness({ engine, falScript: [step.queued(0), step.running('x'), step.hangs(), step.completes()] }));
    await animate(h, { image: await makeImage(512, 512) });
    const running = await waitForJobIn(h, ['running']);
    await h.app.jobs.stop();
    // The crash window: the job's final state is written, its refund is not.
    await h.app.jobRepository.transition(running.id, 'failed', { errorCode: 'crash_test' });
    expect(await kinds(h, running.id)).toEqual(['reserve']);
    await h.restart();
    expect(await kinds(h, running.id)).toEqual(['reserve', 'refund']);
  });

  it('commits, on the next start, a delivered job whose commit was never written', async () => {
    const h = (harness = await startHarness({ engine, falScript: [step.queued(0), step.running('x'), step.completes()] }));
    const handle = await animate(h, { image: await makeImage(512, 512) });
    expect(contentOf(await finalMessage(handle))).toContain('✅');
    await h.app.jobs.idle();
    const [job] = await h.app.jobRepository.inStates(['delivered']);
    // Undo the commit row to stand for a crash between "delivered" and its commit.
    await h.app.store.db.deleteFrom('quota_ledger').where('job_id', '=', job!.id).where('kind', '=', 'commit').execute();
    await h.restart();
    expect(await kinds(h, job!.id)).toEqual(['reserve', 'commit']);
  });

  it('leaves alone a job this process accepted while it was still starting up', async () => {
    const h = (harness = await startHarness({ engine, falScript: [step.queued(0), step.running('x'), step.hangs(), step.completes()] }));
    await animate(h, { image: await makeImage(512, 512) });
    const job = await waitForJobIn(h, ['running']);
    // resume() as it runs right after READY, with a start time before this job existed.
    const outcome = await h.app.jobs.resume(job.createdAt);
    expect(outcome).toMatchObject({ resumed: 0, failed: 0 });
    expect((await h.app.jobRepository.get(job.id)).state).toBe('running');
  });
});
