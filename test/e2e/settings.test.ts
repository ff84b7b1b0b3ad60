import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { animate, contentOf, finalMessage, startHarness, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';
import { firstAnswer, setAllowedResolutions } from '../support/resultButtons.js';

const EPHEMERAL = 64;

describe('/settings: a member\'s defaults', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  async function settings(options: Array<{ name: string; type: number; value: string | boolean }> = [], userId?: string): Promise<string> {
    const handle = await harness.discord.sendCommand({ name: 'settings', options, ...(userId ? { userId } : {}) });
    const answer = await firstAnswer(handle);
    expect(answer.flags & EPHEMERAL).toBe(EPHEMERAL);
    const edit = await handle.waitForEvent((event) => event.kind === 'edit');
    return contentOf(edit);
  }

  it('shows the defaults, saves new ones, and /animate uses them unless an option says otherwise', async () => {
    expect(await settings()).toMatch(/Resolution: the server's default[\s\S]*Private results: off/);
    const saved = await settings([
      { name: 'resolution', type: 3, value: '480p' },
      { name: 'duration', type: 3, value: '10' },
      { name: 'prompt_expansion', type: 5, value: false },
    ]);
    expect(saved).toMatch(/Saved[\s\S]*Resolution: 480p[\s\S]*Duration: 10 seconds[\s\S]*Prompt expansion: off/);

    await finalMessage(await animate(harness, { image: await makeImage(512, 512) }));
    await finalMessage(await animate(harness, { image: await makeImage(512, 512), extra: [{ name: 'resolution', type: 3, value: '720p' }, { name: 'prompt_expansion', type: 5, value: true }] }));
    await harness.app.jobs.idle();
    expect(harness.fal.submits[0]!.input).toMatchObject({ resolution: '480p', duration: '10', enable_prompt_expansion: false });
    expect(harness.fal.submits[1]!.input).toMatchObject({ resolution: '720p', duration: '10', enable_prompt_expansion: true });
    // Another member's defaults are their own.
    await finalMessage(await animate(harness, { image: await makeImage(512, 512), userId: '1200000000000000005' }));
    await harness.app.jobs.idle();
    expect(harness.fal.submits[2]!.input).toMatchObject({ resolution: harness.config.defaults.resolution, duration: harness.config.defaults.duration });
  });

  it('keeps results private: the reply is ephemeral', async () => {
    await settings([{ name: 'private_results', type: 5, value: true }]);
    const handle = await animate(harness, { image: await makeImage(512, 512) });
    const answer = await firstAnswer(handle);
    expect(answer.type).toBe(5);
    expect(answer.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(contentOf(await finalMessage(handle))).toMatch(/✅/);
  });

  it('explains a default the server does not allow, and the job is refused with the server\'s reason rather than changed', async () => {
    await setAllowedResolutions(harness, ['480p', '720p']);
    const saved = await settings([{ name: 'resolution', type: 3, value: '1080p' }]);
    expect(saved).toMatch(/does not allow 1080p[\s\S]*480p, 720p/);
    const handle = await animate(harness, { image: await makeImage(512, 512) });
    const answer = await firstAnswer(handle);
    expect(answer.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(answer.content).toMatch(/❌.*1080p/);
    expect(harness.fal.submits).toHaveLength(0);
  });
});
