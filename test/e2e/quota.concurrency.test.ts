import { afterEach, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/fakeDiscordPayloads.js';
import { step } from '../fakes/fakeFal.js';
import { ENGINES } from '../support/engines.js';
import { contentOf, finalMessage, startHarness, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';
import { MODERATOR_PERMISSIONS, isEphemeral, quotaCommand } from '../support/quotaCommands.js';

const MEMBERS = 50;
const CLIPS_IN_BUDGET = 10;

describe.each(ENGINES)('quota under concurrency (%s)', (engine) => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it(`reserves exactly ${CLIPS_IN_BUDGET} of ${MEMBERS} /animate sent at once on a budget for ${CLIPS_IN_BUDGET} clips, and tells the other ${MEMBERS - CLIPS_IN_BUDGET} why`, async () => {
    const h = (harness = await startHarness({ engine, operatorQuotaDefaults: true, falScript: [step.queued(0), step.running('x'), step.completes()] }));
    const moderator = { userId: snowflake(), memberPermissions: MODERATOR_PERMISSIONS };
    // 10 clips at the default 1080p · 5 s ($0.75): $7.50 a day, nothing else in the way.
    await quotaCommand(h, 'budget', [{ name: 'amount', type: 10, value: 7.5 }, { name: 'period', type: 3, value: 'day' }], moderator);
    await quotaCommand(h, 'limits', [{ name: 'server_concurrent', type: 4, value: 0 }], moderator);
    const image = await makeImage(512, 512);

    const startedAt = performance.now();
    const handles = await Promise.all(
      Array.from({ length: MEMBERS }, () =>
        h.discord.sendCommand({
          name: 'animate',
          userId: snowflake(),
          options: [
            { name: 'image', type: 11, attachment: { filename: 'picture.png', bytes: image, contentType: 'image/png' } },
            { name: 'prompt', type: 3, value: 'everyone at once' },
          ],
        }),
      ),
    );
    // Every member is answered inside Discord's 3 s window (the fake refuses later callbacks).
    const answers = await Promise.all(handles.map((handle) => handle.waitForEvent((e) => e.kind === 'callback', 15_000)));
    const answeredMs = performance.now() - startedAt;

    const deferred = answers.filter((answer) => answer.callbackType === 5);
    const refused = answers.filter((answer) => answer.callbackType === 4);
    expect(deferred).toHaveLength(CLIPS_IN_BUDGET);
    expect(refused).toHaveLength(MEMBERS - CLIPS_IN_BUDGET);
    for (const refusal of refused) {
      expect(isEphemeral(refusal)).toBe(true);
      expect(contentOf(refusal)).toMatch(/^❌ This server has used its \$7\.50 budget for today\. It resets <t:\d+:R>\.$/);
    }

    const reserves = () => h.app.store.db.selectFrom('quota_ledger').select(['kind', 'amount_cents']).execute();
    const reserved = (await reserves()).filter((row) => row.kind === 'reserve');
    expect(reserved).toHaveLength(CLIPS_IN_BUDGET);
    expect(reserved.reduce((sum, row) => sum + row.amount_cents, 0)).toBe(750);

    // The ten are made and paid for; nothing was ever over budget or refunded.
    const finals = await Promise.all(handles.filter((_, i) => answers[i]?.callbackType === 5).map((handle) => finalMessage(handle, 30_000)));
    await h.app.jobs.idle();
    const doneMs = performance.now() - startedAt;
    expect(finals.every((final) => contentOf(final).includes('✅'))).toBe(true);
    expect(h.fal.submits).toHaveLength(CLIPS_IN_BUDGET);
    const ledger = await reserves();
    expect(ledger.filter((row) => row.kind === 'commit')).toHaveLength(CLIPS_IN_BUDGET);
    expect(ledger.filter((row) => row.kind === 'refund')).toHaveLength(0);
    const overview = await h.app.quota.overview(h.discord.guildId);
    expect(overview.spentCents).toBe(750);
    expect(overview.leftCents).toBe(0);
    if (process.env.QUOTA_TIMINGS) {
      process.stdout.write(
        `[${engine}] ${MEMBERS} at once: ${deferred.length} reserved, ${refused.length} refused; all answered in ${answeredMs.toFixed(0)} ms, ten delivered in ${doneMs.toFixed(0)} ms\n`,
      );
    }
  });
});
