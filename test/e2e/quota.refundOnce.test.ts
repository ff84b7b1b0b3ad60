import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/errors.js';
import { falValidationError, step } from '../fakes/fakeFal.js';
import { ENGINES } from '../support/engines.js';
import { animate, contentOf, startHarness, waitForJobIn, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';
import { usageCommand } from '../support/quotaCommands.js';

describe.each(ENGINES)('refunds happen once (%s)', (engine) => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function kinds(h: Harness, jobId: string): Promise<string[]> {
    return (await h.app.ledger.movements(jobId)).map((movement) => movement.kind);
  }

  it('refunds a job killed mid-way exactly once, though its failure is seen twice at the same time', async () => {
    const h = (harness = await startHarness({
      engine,
      operatorQuotaDefaults: true,
      // Runs until released, then fal rejects the result: the job fails after the restart.
      falScript: [step.queued(0), step.running('Generating'), step.hangs(), step.fails(falValidationError('content_policy_violation'))],
    }));
    const handle = await animate(h, { image: await makeImage(512, 512) });
    const requestId = await h.discord.waitFor(() => h.fal.submits[0]?.requestId);
    await h.discord.waitFor(() => h.fal.statusOf(requestId) === 'IN_PROGRESS');
    const running = await waitForJobIn(h, ['running']);
    expect(await kinds(h, running.id)).toEqual(['reserve']);
    expect((await h.app.quota.overview(h.discord.guildId)).spentCents).toBe(75);

    // Kill the bot mid-way (the job stays paid for and running in the store); the next one resumes it.
    await h.restart();
    // Now the failure arrives twice at once: fal rejects the result the resumed tracker
    // fetches, while another path fails the job and settles it directly, twice over.
    h.fal.release(requestId);
    const failure = new UpstreamError('fal stopped the job.', 'test_kill');
    await Promise.all([
      h.app.jobs.fail(running.id, failure),
      h.app.jobs.fail(running.id, failure),
      h.app.ledger.refund(running),
      h.app.ledger.refund(running),
    ]);
    await h.app.jobs.idle();
    await h.app.ledger.refund(running);

    expect((await h.app.jobRepository.get(running.id)).state).toBe('failed');
    expect(await kinds(h, running.id)).toEqual(['reserve', 'refund']);
    expect((await h.app.quota.overview(h.discord.guildId)).spentCents).toBe(0);
    const usage = await usageCommand(h, undefined, { userId: h.discord.memberUserId });
    expect(usage.text).toContain('You spent **$0.00** this month.');
    expect(usage.text).toMatch(/0 of 5 · \*\*5 left\*\*/);
    expect(handle.events().filter((e) => e.files.length > 0)).toHaveLength(0);
  });

  it('refunds a cancelled job once when Cancel is clicked twice at once', async () => {
    const h = (harness = await startHarness({ engine, operatorQuotaDefaults: true, falScript: [step.queued(4), step.queued(3), step.waitsInQueue(), step.completes()] }));
    const handle = await animate(h, { image: await makeImage(512, 512) });
    const customId = await h.discord.waitFor(() => {
      const rows = (handle.originalMessage()?.components ?? []) as Array<{ components: Array<{ custom_id: string }> }>;
      return rows.flatMap((row) => row.components).find((button) => button.custom_id.startsWith('cancel:'))?.custom_id;
    });
    const job = await waitForJobIn(h, ['queued']);
    await Promise.all([h.discord.clickButton(handle, customId), h.discord.clickButton(handle, customId)]);
    await handle.waitForEvent((e) => e.kind === 'edit' && /Cancelled/.test(contentOf(e)));
    await h.app.jobs.idle();
    expect(await kinds(h, job.id)).toEqual(['reserve', 'refund']);
    expect((await h.app.quota.overview(h.discord.guildId)).spentCents).toBe(0);
  });
});
