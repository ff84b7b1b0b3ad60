import { afterEach, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/fakeDiscordPayloads.js';
import { ENGINES } from '../support/engines.js';
import { contentOf, finalMessage, startHarness, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';
import { MODERATOR_PERMISSIONS, quotaCommand, type Invoker } from '../support/quotaCommands.js';

describe.each(ENGINES)('budget alerts in the mod-log (%s)', (engine) => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('posts once at 80 % and once at 100 % of the budget, without pinging anyone', async () => {
    const h = (harness = await startHarness({ engine, operatorQuotaDefaults: true }));
    const modLog = snowflake();
    const moderator: Invoker = { userId: snowflake(), memberPermissions: MODERATOR_PERMISSIONS };
    // Five clips of $0.75: the fourth reaches 80 %, the fifth 100 %.
    await quotaCommand(h, 'budget', [{ name: 'amount', type: 10, value: 3.75 }], moderator);
    await quotaCommand(h, 'members', [{ name: 'clips_per_day', type: 4, value: 0 }], moderator);
    // Run from the mod-log channel once, so the fake Discord knows it (a real server has it).
    await quotaCommand(h, 'modlog', [{ name: 'channel', type: 7, value: modLog }], { ...moderator, channelId: modLog });
    const image = await makeImage(512, 512);
    const alerts = () => h.discord.channelMessages.filter((message) => message.channelId === modLog);
    const animateOnce = async () => {
      const handle = await h.discord.sendCommand({
        name: 'animate',
        options: [
          { name: 'image', type: 11, attachment: { filename: 'p.png', bytes: image, contentType: 'image/png' } },
          { name: 'prompt', type: 3, value: 'a slow zoom' },
        ],
      });
      const text = contentOf(await finalMessage(handle));
      await h.app.jobs.idle();
      await h.app.ledger.idle();
      return text;
    };

    for (let i = 0; i < 3; i += 1) expect(await animateOnce()).toContain('✅');
    expect(alerts()).toHaveLength(0);
    expect(await animateOnce()).toContain('✅');
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]?.body.content).toMatch(/^⚠️ \/animate has used 80 % of this server’s budget for this month: \$3\.00 of \$3\.75\. It resets <t:\d+:R>\.$/);
    expect(alerts()[0]?.body.allowed_mentions).toEqual({ parse: [] });

    expect(await animateOnce()).toContain('✅');
    expect(alerts()).toHaveLength(2);
    expect(alerts()[1]?.body.content).toMatch(/^🛑 \/animate has used up this server’s budget for this month: \$3\.75 of \$3\.75 spent\./);

    // Refused jobs later in the period do not repeat them.
    expect(await animateOnce()).toMatch(/^❌ This server has used its \$3\.75 budget/);
    expect(await animateOnce()).toMatch(/^❌/);
    expect(alerts()).toHaveLength(2);
  });
});
