import { afterEach, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/fakeDiscordPayloads.js';
import { ENGINES } from '../support/engines.js';
import { contentOf, finalMessage, startHarness, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';
import { MODERATOR_PERMISSIONS, quotaCommand, usageCommand, type Invoker } from '../support/quotaCommands.js';

/**
 * A clock for the bot that runs at real speed from a chosen instant, and can
 * jump. It starts in the past on purpose: Discord's interaction tokens are
 * dated by real time, so they stay valid for the bot throughout.
 */
function fakeClock(startIso: string) {
  const realStart = Date.now();
  let offset = Date.parse(startIso) - realStart;
  return {
    now: () => Date.now() + offset,
    jumpTo(iso: string) {
      offset = Date.parse(iso) - Date.now();
    },
  };
}

const unix = (iso: string) => Date.parse(iso) / 1000;

describe.each(ENGINES)('quota periods roll over in UTC (%s)', (engine) => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('gives a daily budget back at 00:00 UTC, and a monthly one on the 1st', async () => {
    const clock = fakeClock('2025-03-31T23:58:00Z');
    const h = (harness = await startHarness({ engine, operatorQuotaDefaults: true, now: clock.now }));
    const moderator: Invoker = { userId: snowflake(), memberPermissions: MODERATOR_PERMISSIONS };
    const [alice, bob, carol] = [{ userId: snowflake() }, { userId: snowflake() }, { userId: snowflake() }];
    const image = await makeImage(512, 512);
    const animateAs = async (invoker: Invoker) => {
      const handle = await h.discord.sendCommand({
        name: 'animate',
        ...invoker,
        options: [
          { name: 'image', type: 11, attachment: { filename: 'p.png', bytes: image, contentType: 'image/png' } },
          { name: 'prompt', type: 3, value: 'waves' },
        ],
      });
      const final = await finalMessage(handle);
      await h.app.jobs.idle();
      return { text: contentOf(final), costLine: handle.events().map(contentOf).find((t) => t.includes('uses $')) ?? '' };
    };

    await quotaCommand(h, 'budget', [{ name: 'amount', type: 10, value: 1.5 }, { name: 'period', type: 3, value: 'day' }], moderator);
    expect((await animateAs(alice)).costLine).toContain('uses $0.75 — $0.75 left today');
    expect((await animateAs(bob)).costLine).toContain('uses $0.75 — $0.00 left today');
    const midnight = unix('2025-04-01T00:00:00Z');
    expect((await animateAs(carol)).text).toBe(`❌ This server has used its $1.50 budget for today. It resets <t:${midnight}:R>.`);
    const show = await quotaCommand(h, 'show', [], carol);
    expect(show.text).toContain(`resets <t:${midnight}:R>`);
    expect(show.text).toContain('$1.50 of $1.50 used today');

    clock.jumpTo('2025-04-01T00:00:01Z');
    expect((await animateAs(carol)).costLine).toContain('uses $0.75 — $0.75 left today');
    expect((await usageCommand(h, undefined, alice)).text).toContain('You spent **$0.00** today.');
    expect((await usageCommand(h, undefined, carol)).text).toMatch(/1 of 5 · \*\*4 left\*\* \(more <t:1743552000:R>\)/);

    // Switching to a monthly budget counts April only: March's clips are in the past period.
    const monthly = await quotaCommand(h, 'budget', [{ name: 'amount', type: 10, value: 1.5 }, { name: 'period', type: 3, value: 'month' }], moderator);
    expect(monthly.text).toContain('Now: $0.75 of $1.50 used this month, $0.75 left (≈ 1 clip).');
    expect((await animateAs(alice)).costLine).toContain('uses $0.75 — $0.00 left this month');
    expect((await animateAs(bob)).text).toBe(`❌ This server has used its $1.50 budget for this month. It resets <t:${unix('2025-05-01T00:00:00Z')}:R>.`);
    clock.jumpTo('2025-05-01T00:00:00Z');
    expect((await animateAs(bob)).costLine).toContain('uses $0.75 — $0.75 left this month');
  });
});
