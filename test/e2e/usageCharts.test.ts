import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSpendChart } from '../../src/media/charts/spendChart.js';
import { renderTopMembersChart } from '../../src/media/charts/topMembersChart.js';
import { falValidationError, step } from '../fakes/fakeFal.js';
import { animate, finalMessage, startHarness, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';
import { MODERATOR_PERMISSIONS, quotaCommand, usageCommand, type CommandReply } from '../support/quotaCommands.js';

const DAY_MS = 86_400_000;

/** Every UTC day of this month so far, nothing spent but `todayCents` today. */
function thisMonthSoFar(todayCents: number): Array<{ day: string; cents: number }> {
  const now = new Date();
  const first = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const days = [];
  for (let day = first; day <= today; day += DAY_MS) {
    days.push({ day: new Date(day).toISOString().slice(0, 10), cents: day === today ? todayCents : 0 });
  }
  return days;
}

function attached(reply: CommandReply): Array<{ name: string; bytes: Buffer }> {
  return reply.event.files.map((file) => ({ name: file.name, bytes: file.bytes }));
}

function embedImages(reply: CommandReply): unknown[] {
  const embeds = (reply.event.body?.data?.embeds ?? []) as Array<{ image?: { url?: string } }>;
  return embeds.map((embed) => embed.image?.url);
}

describe('charts on /quota show and /usage', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
    // Two videos delivered (75 ¢ each) and one refused by fal (refunded): $1.50 spent today.
    harness.fal.scriptNext([step.running('x'), step.completes()]);
    harness.fal.scriptNext([step.running('x'), step.completes()]);
    harness.fal.scriptNext([step.running('x'), step.fails(falValidationError('content_policy_violation'))]);
    for (let index = 0; index < 3; index += 1) {
      await finalMessage(await animate(harness, { image: await makeImage(512, 512) }));
    }
    await harness.app.jobs.idle();
  });

  afterAll(async () => {
    await harness.close();
  });

  it('shows a moderator the spending per day against the budget, and the top members, as PNGs drawn from the ledger', async () => {
    const reply = await quotaCommand(harness, 'show', [], { userId: '300000000000000009', memberPermissions: MODERATOR_PERMISSIONS });
    expect(reply.ephemeral).toBe(true);
    const files = attached(reply);
    expect(files.map((file) => file.name)).toEqual(['spend.png', 'top-members.png']);
    expect(embedImages(reply)).toEqual(['attachment://spend.png', 'attachment://top-members.png']);

    // The very picture the bot would draw for $1.50 today out of a $100 budget: its numbers are the ledger's.
    const expected = await renderSpendChart({ days: thisMonthSoFar(150), budgetCents: 10_000, title: 'Spending this month' });
    expect(files[0]!.bytes.equals(expected)).toBe(true);
    // The member who made both videos, by the name Discord gives them.
    const top = await renderTopMembersChart({ title: 'Top members', maxRows: 8, members: [{ label: 'tester', cents: 150 }] });
    expect(files[1]!.bytes.equals(top)).toBe(true);
    for (const file of files) {
      expect(await sharp(file.bytes).metadata()).toMatchObject({ format: 'png', width: 800, height: 400 });
      expect(file.bytes.length).toBeLessThan(150_000);
    }
  });

  it('shows a member who may open /quota show the spending, but not who spent it', async () => {
    const reply = await quotaCommand(harness, 'show');
    expect(attached(reply).map((file) => file.name)).toEqual(['spend.png']);
    expect(embedImages(reply)).toEqual(['attachment://spend.png']);
  });

  it("shows a member their own spending per day in /usage", async () => {
    const own = await usageCommand(harness);
    const files = attached(own);
    expect(files.map((file) => file.name)).toEqual(['spend.png']);
    const expected = await renderSpendChart({ days: thisMonthSoFar(150), budgetCents: 10_000, title: 'Your spending this month' });
    expect(files[0]!.bytes.equals(expected)).toBe(true);

    // Someone who spent nothing gets the same axis with nothing on it.
    const moderator = await usageCommand(harness, undefined, { userId: '300000000000000009', memberPermissions: MODERATOR_PERMISSIONS });
    const nothing = await renderSpendChart({ days: thisMonthSoFar(0), budgetCents: 10_000, title: 'Your spending this month' });
    expect(attached(moderator).map((file) => file.name)).toEqual(['spend.png', 'top-members.png']);
    expect(attached(moderator)[0]!.bytes.equals(nothing)).toBe(true);
  });
});
