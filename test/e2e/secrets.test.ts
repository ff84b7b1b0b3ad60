import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../fakes/fakeDiscord.js';
import { falInfraError, falValidationError, step } from '../fakes/fakeFal.js';
import { FAKE_DISCORD_TOKEN, FAKE_FAL_KEY, animate, contentOf, finalMessage, startHarness, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';

/**
 * The bot runs with known fake secrets through good jobs and every kind of
 * failure; afterwards neither the bot token, the fal key nor any interaction
 * token appears in a log line or in anything sent to Discord, and fal never
 * sees a Discord credential.
 */
describe('secrets stay out of logs and messages', () => {
  let harness: Harness;
  const handles: Array<{ label: string; handle: InteractionHandle; text: string }> = [];

  beforeAll(async () => {
    harness = await startHarness({ logLevel: 'trace', falScript: [step.queued(0), step.running('Generating frames'), step.completes()] });
    const image = await makeImage(512, 512);
    const run = async (label: string, options: Parameters<typeof animate>[1]) => {
      const handle = await animate(harness, options);
      const text = contentOf(await finalMessage(handle));
      await harness.app.jobs.idle();
      handles.push({ label, handle, text });
    };

    await run('good', { image });
    await run('bad input', { image: Buffer.from('not a picture\n'.repeat(10)), imageName: 'cat.png' });
    harness.fal.scriptNext([step.queued(0), step.running('x'), step.fails(falValidationError('image_too_small'))]);
    await run('fal 422', { image });
    harness.fal.scriptNext([step.submitRejected(falInfraError(500, 'internal_server_error', false))]);
    await run('fal 500', { image });
    harness.fal.scriptNext([step.submitRejected({ status: 401, body: { detail: 'Invalid API key' } })]);
    await run('fal 401', { image });
    harness.fal.scriptNext([step.statusFails({ status: 401, body: { detail: 'Invalid API key' } }), step.queued(0), step.running('x'), step.completes()]);
    await run('fal 401 while polling', { image });
    // Discord refuses progress edits: discord.js errors carry the webhook URL, interaction token included.
    harness.discord.failNext({ method: 'PATCH', pathIncludes: '/webhooks/' }, { status: 400, body: { message: 'Invalid Form Body', code: 50035 } }, 2);
    await run('discord 400 on an edit', { image });
  });

  afterAll(async () => {
    await harness?.close();
  });

  function secrets(): Array<[string, string]> {
    const [keyId, keySecret] = FAKE_FAL_KEY.split(':');
    return [
      ['the bot token', FAKE_DISCORD_TOKEN],
      ['the fal key', FAKE_FAL_KEY],
      ['the fal key id', keyId!],
      ['the fal key secret', keySecret!],
      ...handles.map(({ label, handle }): [string, string] => [`the interaction token of the ${label} job`, handle.token]),
    ];
  }

  it('ran every job to the end the test expects', () => {
    const texts = Object.fromEntries(handles.map(({ label, text }) => [label, text]));
    expect(texts.good).toContain('✅');
    expect(texts['bad input']).toMatch(/❌ That file is not a picture/);
    expect(texts['fal 422']).toContain('❌');
    expect(texts['fal 500']).toContain('❌');
    expect(texts['fal 401']).toContain('❌');
    expect(texts['fal 401 while polling']).toContain('❌');
    expect(texts['discord 400 on an edit']).toContain('✅');
  });

  it('logged every job, so the checks below look at something', async () => {
    const jobs = await harness.app.jobRepository.inStates(['delivered', 'failed']);
    expect(jobs).toHaveLength(handles.length);
    for (const job of jobs) {
      expect(harness.logLines.some((line) => line.includes(job.id)), `log lines for job ${job.id}`).toBe(true);
    }
    const failures = harness.logLines.filter((line) => line.includes('"job failed'));
    expect(failures.length).toBeGreaterThanOrEqual(5);
    // Errors are logged with their details (codes, statuses), just never with a credential.
    expect(harness.logLines.some((line) => line.includes('image_too_small'))).toBe(true);
    expect(harness.logLines.some((line) => line.includes('Invalid Form Body'))).toBe(true);
  });

  it('writes no secret to the log', () => {
    const log = harness.logLines.join('\n');
    for (const [name, secret] of secrets()) {
      expect(log.includes(secret), `${name} is in the log`).toBe(false);
    }
  });

  it('sends no secret to Discord in any body, file or query, multipart payloads included', () => {
    expect(harness.discord.calls.length).toBeGreaterThan(0);
    for (const call of harness.discord.calls) {
      const sent = [
        JSON.stringify(call.body ?? null),
        JSON.stringify(call.query),
        ...call.files.map((file) => `${file.name}\n${file.bytes.toString('latin1')}`),
      ].join('\n');
      for (const [name, secret] of secrets()) {
        expect(sent.includes(secret), `${name} in ${call.method} ${call.path}`).toBe(false);
      }
    }
  });

  it('sends Discord no fal credential, not even in a header', () => {
    for (const call of harness.discord.calls) {
      const everything = `${call.path}\n${JSON.stringify(call.headers)}\n${JSON.stringify(call.body ?? null)}`;
      expect(everything.includes(FAKE_FAL_KEY), `${call.method} ${call.path}`).toBe(false);
    }
  });

  it('sends fal no Discord credential, not even in a header', () => {
    const discordSecrets = secrets().filter(([name]) => !name.startsWith('the fal key'));
    for (const call of harness.fal.calls) {
      const everything = `${call.path}\n${JSON.stringify(call.query)}\n${JSON.stringify(call.headers)}\n${JSON.stringify(call.json ?? null)}`;
      for (const [name, secret] of discordSecrets) {
        expect(everything.includes(secret), `${name} in ${call.method} ${call.path}`).toBe(false);
      }
    }
  });
});
