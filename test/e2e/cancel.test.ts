import { PermissionFlagsBits } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../fakes/fakeDiscord.js';
import { step } from '../fakes/fakeFal.js';
import { animate, contentOf, startHarness, waitForJobIn, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';
import { createRole } from '../support/quotaCommands.js';

const CANCEL_ID = /^cancel:[\w-]+$/;
/** A role the operator lists in QUOTA_ADMIN_ROLE_IDS: its members are moderators for every purpose. */
const QUOTA_ADMIN_ROLE = '1300000000000000007';

function cancelButtonId(handle: InteractionHandle): string | undefined {
  const rows = (handle.originalMessage()?.components ?? []) as Array<{ components: Array<{ custom_id: string }> }>;
  return rows.flatMap((row) => row.components).find((button) => CANCEL_ID.test(button.custom_id))?.custom_id;
}

describe('the Cancel button', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ env: { QUOTA_ADMIN_ROLE_IDS: QUOTA_ADMIN_ROLE } });
  });
  afterEach(async () => {
    await harness.close();
  });

  async function queuedJob(): Promise<{ handle: InteractionHandle; requestId: string; customId: string }> {
    harness.fal.setDefaultScript([step.queued(4), step.queued(3), step.waitsInQueue(), step.completes()]);
    const handle = await animate(harness, { image: await makeImage(512, 512) });
    const requestId = await harness.fal.waitFor(() => harness.fal.submits[0]?.requestId);
    const customId = await harness.discord.waitFor(() => {
      const [job] = handle.events().filter((e) => e.kind === 'edit' && /position/.test(contentOf(e)));
      return job && cancelButtonId(handle);
    });
    return { handle, requestId, customId };
  }

  it('cancels a queued job at fal, ends it as cancelled and shows it on the message', async () => {
    const { handle, requestId, customId } = await queuedJob();
    const click = await harness.discord.clickButton(handle, customId);
    const cancelledEdit = await handle.waitForEvent((e) => e.kind === 'edit' && /Cancelled/.test(contentOf(e)));
    await harness.app.jobs.idle();

    expect(click.events()[0]?.callbackType).toBe(6); // deferred update: no new message
    expect(harness.fal.callsTo('cancel')).toHaveLength(1);
    expect(harness.fal.statusOf(requestId)).toBe('CANCELLED');
    expect(contentOf(cancelledEdit)).toMatch(/not charged/);
    expect(cancelledEdit.body.components).toEqual([]);
    const [job] = await harness.app.jobRepository.inStates(['cancelled']);
    expect(job?.requestId).toBe(requestId);
    // Nothing is delivered or failed afterwards.
    expect(handle.events().some((e) => /✅|❌/.test(contentOf(e)))).toBe(false);
  });

  it('tells another member privately that only the requester or a moderator may cancel', async () => {
    const { handle, customId } = await queuedJob();
    const click = await harness.discord.clickButton(handle, customId, { userId: '1200000000000000001' });
    const refusal = await click.waitForEvent((e) => e.kind === 'followup');
    expect(contentOf(refusal)).toMatch(/Only the member who started this video, or a moderator/);
    expect(refusal.body.flags & 64).toBe(64);
    expect(harness.fal.callsTo('cancel')).toHaveLength(0);
    expect(await harness.app.jobRepository.inStates(['cancelled'])).toHaveLength(0);
  });

  it('lets a moderator cancel someone else\'s job', async () => {
    const { handle, customId } = await queuedJob();
    await harness.discord.clickButton(handle, customId, {
      userId: '1200000000000000002',
      memberPermissions: String(PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel),
    });
    const edit = await handle.waitForEvent((e) => e.kind === 'edit' && /Cancelled by <@1200000000000000002>/.test(contentOf(e)));
    expect(edit.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('lets a member with a quota admin role cancel someone else\'s job, as /quota lets them change quotas', async () => {
    const { handle, requestId, customId } = await queuedJob();
    await createRole(harness, 'quota admins', QUOTA_ADMIN_ROLE);
    await harness.discord.clickButton(handle, customId, { userId: '1200000000000000003', memberRoles: [QUOTA_ADMIN_ROLE] });
    await handle.waitForEvent((e) => e.kind === 'edit' && /Cancelled by <@1200000000000000003>/.test(contentOf(e)));
    expect(harness.fal.statusOf(requestId)).toBe('CANCELLED');
  });

  it('says the job can no longer be cancelled once fal started it', async () => {
    harness.fal.setDefaultScript([step.queued(1), step.running('Generating'), step.hangs(), step.completes()]);
    const handle = await animate(harness, { image: await makeImage(512, 512) });
    const requestId = await harness.fal.waitFor(() => harness.fal.submits[0]?.requestId);
    await harness.discord.waitFor(() => harness.fal.statusOf(requestId) === 'IN_PROGRESS');
    const { id: jobId } = await waitForJobIn(harness, ['running']);
    const click = await harness.discord.clickButton(handle, `cancel:${jobId}`);
    const refusal = await click.waitForEvent((e) => e.kind === 'followup');
    expect(contentOf(refusal)).toMatch(/already being made/);
    harness.fal.release(requestId);
    await handle.waitForEvent((e) => /✅/.test(contentOf(e)));
    // The running job's messages carry no Cancel button any more (the finished video has its own buttons).
    const lastEdits = handle.events().filter((e) => e.kind === 'edit' && /Making your video|✅/.test(contentOf(e)));
    expect(lastEdits.length).toBeGreaterThan(0);
    for (const edit of lastEdits) expect(JSON.stringify(edit.body.components ?? [])).not.toContain('cancel:');
  });

  it('refuses, for a moment, to cancel a job whose submit is on its way to fal', async () => {
    harness.fal.setDefaultScript([step.submitAnswerHeld(), step.queued(0), step.running('x'), step.completes()]);
    const handle = await animate(harness, { image: await makeImage(512, 512) });
    await harness.fal.waitFor(() => harness.fal.submits[0]);
    const { id: jobId } = await waitForJobIn(harness, ['prepared']);
    const click = await harness.discord.clickButton(handle, `cancel:${jobId}`);
    const refusal = await click.waitForEvent((e) => e.kind === 'followup');
    expect(contentOf(refusal)).toMatch(/being handed to fal right now/);
    harness.fal.releaseSubmits();
    await handle.waitForEvent((e) => /✅/.test(contentOf(e)));
    // The ✅ edit lands just before the job's final write: wait for the pipeline to settle.
    await harness.app.jobs.idle();
    expect(await harness.app.jobRepository.inStates(['delivered'])).toHaveLength(1);
  });
});
