import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createModelRegistry } from '../../src/fal/models/registry.js';
import { wan25 } from '../../src/fal/models/wan25.js';
import { createJobEvents } from '../../src/jobs/events.js';
import type { JobTiming, TimingKind } from '../../src/jobs/job.js';
import { TimingHistory } from '../../src/jobs/timingHistory.js';
import { aJob } from '../support/jobs.js';

/** A repository that answers from a list and counts the queries. */
function fakeRepository(samples: JobTiming[]) {
  const asked: TimingKind[] = [];
  return {
    asked,
    samples,
    recentTimings(kind: TimingKind): Promise<JobTiming[]> {
      asked.push(kind);
      return Promise.resolve([...samples]);
    },
  };
}

const models = createModelRegistry([wan25]);
const logger = pino({ level: 'silent' });
const kind = { model: 'wan-25', resolution: '1080p', durationSeconds: 5 };

describe('timing history', () => {
  it('reads a kind once and answers later questions from memory', async () => {
    const jobs = fakeRepository([]);
    const history = new TimingHistory({ jobs, models, logger });
    await history.typicalFor(kind);
    await history.typicalFor(kind);
    await history.typicalFor({ ...kind });
    expect(jobs.asked).toHaveLength(1);
    await history.typicalFor({ ...kind, resolution: '720p' });
    expect(jobs.asked).toHaveLength(2);
  });

  it('re-reads a kind when one of its jobs is delivered, and only then', async () => {
    const jobs = fakeRepository([]);
    const history = new TimingHistory({ jobs, models, logger });
    const events = createJobEvents(logger);
    history.watch(events);
    expect((await history.typicalFor(kind)).basis).toBe('model');

    jobs.samples.push(...Array.from({ length: 5 }, () => ({ queueMs: 1_000, runMs: 2_000 })));
    const job = aJob({ state: 'failed' });
    await events.publish({ type: 'ended', job, from: 'running', outcome: { charged: false, memberMessage: 'x', notifyMember: true }, at: 0 });
    expect((await history.typicalFor(kind)).basis).toBe('model');

    await events.publish({ type: 'ended', job: aJob({ state: 'delivered' }), from: 'delivering', outcome: { charged: true, memberMessage: null, notifyMember: false }, at: 0 });
    expect(await history.typicalFor(kind)).toMatchObject({ basis: 'history', queueMs: 1_000, runMs: 2_000 });
    expect(jobs.asked).toHaveLength(2);
  });

  it("answers a failed read with the model's figures and does not remember it", async () => {
    let fail = true;
    let reads = 0;
    const jobs = {
      recentTimings: () => {
        reads += 1;
        return fail ? Promise.reject(new Error('database away')) : Promise.resolve(Array.from({ length: 5 }, () => ({ queueMs: 0, runMs: 9_000 })));
      },
    };
    const history = new TimingHistory({ jobs, models, logger });
    expect((await history.typicalFor(kind)).basis).toBe('model');
    fail = false;
    expect(await history.typicalFor(kind)).toMatchObject({ basis: 'history', runMs: 9_000 });
    expect(reads).toBe(2);
  });
});
