import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { animate, contentOf, finalMessage, startHarness, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';

describe('the router\'s error boundary', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  it('answers a bug with a plain sentence, logs it with context, and keeps serving', async () => {
    const jobs = harness.app.jobs;
    const realStart = jobs.start;
    // A bug deep inside the pipeline: a plain Error with internals in its text.
    Object.assign(jobs, { start: () => Promise.reject(new Error('SQLITE_CORRUPT: database disk image is malformed at /var/lib/x')) });
    const handle = await animate(harness, { image: await makeImage(512, 512) });
    const answer = await finalMessage(handle);
    expect(contentOf(answer)).toMatch(/Something went wrong on our side\. You were not charged/);
    expect(contentOf(answer)).not.toMatch(/SQLITE|\/var\/lib/);
    expect(answer.body.data.flags & 64).toBe(64);
    const logged = harness.logLines.map(
      (line) => JSON.parse(line) as { msg: string; err?: { message: string }; interactionId?: string; reportId?: string },
    );
    const entry = logged.find((line) => line.msg === 'interaction failed');
    expect(entry?.err?.message).toMatch(/SQLITE_CORRUPT/);
    expect(entry?.interactionId).toBe(handle.id);
    // The member can quote the report id; the operator finds the stack trace by it.
    const reportId = /\(report `([0-9a-f]{8})`\)$/.exec(contentOf(answer))?.[1];
    expect(reportId).toBeDefined();
    expect(entry?.reportId).toBe(reportId);

    Object.assign(jobs, { start: realStart });
    const next = await animate(harness, { image: await makeImage(512, 512) });
    expect(contentOf(await finalMessage(next))).toContain('✅');
  });
});
