import { ChannelType } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentOf, finalMessage, startHarness, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';

describe('/animate in a thread', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  /** `/animate` as Discord sends it, with the interaction fields a test wants to set itself. */
  async function rawAnimate(image: { id: string }, fields: Record<string, unknown> = {}) {
    return harness.discord.sendRawInteraction({
      type: 2,
      ...fields,
      data: {
        id: '1500000000000000002',
        name: 'animate',
        type: 1,
        options: [
          { name: 'image', type: 11, value: image.id },
          { name: 'prompt', type: 3, value: 'the cat blinks' },
        ],
        resolved: { attachments: { [image.id]: image } },
      },
    });
  }

  it('counts a thread the bot has never seen as part of its allowed parent channel', async () => {
    const { discord } = harness;
    await harness.app.quota.editList(discord.guildId, '1500000000000000009', 'allowedChannelIds', 'add', discord.channelId);
    const threadId = '1500000000000000001';
    const image = discord.hostAttachment({ filename: 'cat.png', bytes: await makeImage(512, 512), contentType: 'image/png', channelId: threadId });
    const handle = await rawAnimate(image, {
      channel_id: threadId,
      channel: { id: threadId, type: ChannelType.PrivateThread, parent_id: discord.channelId, guild_id: discord.guildId, name: 'ideas', flags: 0 },
    });
    expect(contentOf(await finalMessage(handle))).toContain('✅');
  });

  it('still refuses a channel outside the allowed list', async () => {
    const { discord } = harness;
    await harness.app.quota.editList(discord.guildId, '1500000000000000009', 'allowedChannelIds', 'add', '1500000000000000077');
    const image = discord.hostAttachment({ filename: 'cat.png', bytes: await makeImage(512, 512), contentType: 'image/png' });
    const handle = await rawAnimate(image);
    expect(contentOf(await finalMessage(handle))).toMatch(/does not work in this channel/);
  });
});
