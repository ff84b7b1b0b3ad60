import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord, type InteractionHandle } from '../fakes/fakeDiscord.js';
import { DEFAULT_FAL_SCRIPT, startFakeFal, step, type FakeFal, type FalScript } from '../fakes/fakeFal.js';
import { spawnBot, type BotProcess } from '../support/botProcess.js';
import { FAKE_DISCORD_TOKEN, FAKE_FAL_KEY, contentOf } from '../support/harness.js';
import { makeImage } from '../support/images.js';

/**
 * The real bot in its own process, killed (SIGKILL) at each step of a job and
 * started again on the same SQLite file. Whatever the moment, the job ends
 * exactly once — delivered, or failed with a message — and fal saw one submit.
 */
describe('crash recovery (bot process killed mid-job)', () => {
  let discord: FakeDiscord;
  let fal: FakeFal;
  let directory: string;
  let bots: BotProcess[] = [];

  beforeEach(async () => {
    discord = await startFakeDiscord();
    fal = await startFakeFal();
    directory = mkdtempSync(join(tmpdir(), 'animate-crash-'));
  });
  afterEach(async () => {
    for (const bot of bots) bot.kill('SIGKILL');
    await Promise.all(bots.map((bot) => bot.exited));
    bots = [];
    await discord.close();
    await fal.close();
    rmSync(directory, { recursive: true, force: true });
  });

  function env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      DISCORD_TOKEN: FAKE_DISCORD_TOKEN,
      DISCORD_APPLICATION_ID: discord.applicationId,
      FAL_KEY: FAKE_FAL_KEY,
      DATABASE_URL: join(directory, 'animate.sqlite'),
      DISCORD_API_BASE_URL: discord.apiBaseUrl,
      DISCORD_CDN_BASE_URL: discord.cdnBaseUrl,
      FAL_BASE_URL: fal.baseUrl,
      ATTACHMENT_HOSTS: discord.attachmentHost,
      POLL_INTERVAL_MS: '25',
      PROGRESS_EDIT_INTERVAL_MS: '200',
      LOG_LEVEL: 'info',
      ...extra,
    };
  }

  async function startBot(extra?: Record<string, string>): Promise<BotProcess> {
    const before = discord.identifyCount();
    const bot = spawnBot(env(extra));
    bots.push(bot);
    await discord.waitFor(() => discord.identifyCount() > before || undefined, 20_000).catch((error: unknown) => {
      throw new Error(`bot did not log in: ${String(error)}\n${bot.output.join('\n')}`);
    });
    // READY, then resume() of unfinished jobs: wait for the bot to say it is ready.
    await discord.waitFor(() => bot.output.some((line) => line.includes('bot is ready')) || undefined, 20_000);
    return bot;
  }

  async function killHard(bot: BotProcess): Promise<void> {
    bot.kill('SIGKILL');
    const { signal } = await bot.exited;
    expect(signal).toBe('SIGKILL');
  }

  function jobStates(): Array<{ state: string; request_id: string | null; error_message: string | null }> {
    const db = new SqliteDatabase(join(directory, 'animate.sqlite'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare('select state, request_id, error_message from jobs').all() as Array<{ state: string; request_id: string | null; error_message: string | null }>;
    } finally {
      db.close();
    }
  }

  /** The quota ledger's movements for the (single) job, e.g. ['reserve', 'refund']. */
  function ledgerKinds(): string[] {
    const db = new SqliteDatabase(join(directory, 'animate.sqlite'), { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('select kind from quota_ledger order by reserved_at, kind desc').all() as Array<{ kind: string }>).map((row) => row.kind).sort();
    } finally {
      db.close();
    }
  }

  async function waitForState(state: string): Promise<void> {
    await discord.waitFor(() => jobStates().some((job) => job.state === state) || undefined, 15_000);
  }

  async function runTo(script: FalScript): Promise<{ bot: BotProcess; handle: InteractionHandle }> {
    fal.setDefaultScript(script);
    const bot = await startBot();
    const handle = await discord.sendCommand({
      name: 'animate',
      options: [
        { name: 'image', type: 11, attachment: { filename: 'cat.png', bytes: await makeImage(512, 512), contentType: 'image/png' } },
        { name: 'prompt', type: 3, value: 'the cat blinks' },
      ],
    });
    return { bot, handle };
  }

  function finalEvents(handle: InteractionHandle) {
    return handle.events().filter((event) => /✅|❌/.test(contentOf(event)));
  }

  async function expectDeliveredOnce(handle: InteractionHandle): Promise<void> {
    await handle.waitForEvent((event) => /✅/.test(contentOf(event)), 15_000);
    // The ✅ edit lands just before the bot's final write; then leave room for a duplicate to show up.
    await waitForState('delivered');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(finalEvents(handle)).toHaveLength(1);
    expect(handle.events().filter((event) => event.files.length > 0)).toHaveLength(1);
    expect(fal.callsTo('submit')).toHaveLength(1);
    expect(jobStates().map((job) => job.state)).toEqual(['delivered']);
    await discord.waitFor(() => ledgerKinds().length === 2 || undefined);
    expect(ledgerKinds()).toEqual(['commit', 'reserve']);
  }

  async function expectFailedOnceWithMessage(handle: InteractionHandle): Promise<void> {
    const final = await handle.waitForEvent((event) => /❌/.test(contentOf(event)), 15_000);
    expect(contentOf(final)).toMatch(/restarted before your video was started.*not charged/);
    await waitForState('failed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(finalEvents(handle)).toHaveLength(1);
    expect(jobStates().map((job) => job.state)).toEqual(['failed']);
    await discord.waitFor(() => ledgerKinds().length === 2 || undefined);
    expect(ledgerKinds()).toEqual(['refund', 'reserve']);
  }

  it('before submit (uploading to fal): fails the job with a message, submits nothing', async () => {
    fal.holdUploads();
    const { bot, handle } = await runTo(DEFAULT_FAL_SCRIPT);
    await discord.waitFor(() => fal.callsTo('upload').length > 0 || undefined);
    await killHard(bot);
    fal.releaseUploads();
    await startBot();
    await expectFailedOnceWithMessage(handle);
    expect(fal.callsTo('submit')).toHaveLength(0);
  });

  it('right after submit, before the request id was saved: fails once, never submits again', async () => {
    const { bot, handle } = await runTo([step.submitAnswerHeld(), step.queued(0), step.running('x'), step.completes()]);
    await discord.waitFor(() => fal.submits.length > 0 || undefined);
    await killHard(bot);
    fal.releaseSubmits();
    const restarted = await startBot();
    await expectFailedOnceWithMessage(handle);
    expect(fal.callsTo('submit')).toHaveLength(1);
    // The operator is told fal may have run it.
    expect(restarted.output.some((line) => line.includes('fal may have run it'))).toBe(true);
  });

  it('while queued: resumes tracking and delivers exactly once', async () => {
    const { bot, handle } = await runTo([step.queued(3), step.queued(2), step.waitsInQueue(), step.running('Generating'), step.completes()]);
    await waitForState('queued');
    await killHard(bot);
    await startBot();
    fal.release(fal.submits[0]!.requestId);
    await expectDeliveredOnce(handle);
  });

  it('while running: resumes tracking and delivers exactly once', async () => {
    const { bot, handle } = await runTo([step.queued(0), step.running('Generating'), step.hangs(), step.completes()]);
    await waitForState('running');
    await killHard(bot);
    await startBot();
    fal.release(fal.submits[0]!.requestId);
    await expectDeliveredOnce(handle);
  });

  it('while delivering (downloading the video): delivers exactly once after the restart', async () => {
    const { bot, handle } = await runTo([step.queued(0), step.running('x'), step.completes(), step.downloadsWait()]);
    await waitForState('delivering');
    await killHard(bot);
    const requestId = fal.submits[0]!.requestId;
    await startBot();
    fal.release(requestId);
    await expectDeliveredOnce(handle);
  });

  it('on SIGTERM: tells new members it is restarting, exits within the grace period, and the job resumes', async () => {
    const { bot, handle } = await runTo([step.queued(0), step.running('Generating'), step.hangs(), step.completes()]);
    await waitForState('running');
    const termAt = Date.now();
    bot.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const late = await discord.sendCommand({
      name: 'animate',
      options: [
        { name: 'image', type: 11, attachment: { filename: 'dog.png', bytes: await makeImage(512, 512), contentType: 'image/png' } },
        { name: 'prompt', type: 3, value: 'the dog wags' },
      ],
    });
    const refusal = await late.waitForEvent((event) => event.kind === 'callback');
    expect(contentOf(refusal)).toMatch(/restarting/);
    expect(refusal.body.data.flags & 64).toBe(64);
    const { code } = await bot.exited;
    expect(code).toBe(0);
    expect(Date.now() - termAt).toBeLessThan(10_000);
    expect(jobStates().map((job) => job.state)).toEqual(['running']);

    await startBot();
    fal.release(fal.submits[0]!.requestId);
    await expectDeliveredOnce(handle);
  });
});
