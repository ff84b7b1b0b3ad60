import { UnavailableError } from '../errors.js';
import { localized } from '../i18n/text.js';
import type { QuotaService } from '../quota/quotaTypes.js';
import type { Job } from './job.js';
import type { JobRepository } from './jobRepository.js';
import type { JobLifecycle } from './lifecycle.js';
import { PRE_SUBMIT_STATES, TRACKED_STATES, isTerminal } from './states.js';

export interface RecoveryDeps {
  jobs: JobRepository;
  quota: Pick<QuotaService, 'unsettledJobIds'>;
  lifecycle: JobLifecycle;
  /** Runs a job fal already has from its current step (tracking or delivery). */
  follow(job: Job): void;
}

export interface RecoveryReport {
  resumed: number;
  failed: number;
  settled: number;
}

/**
 * What a start owes the jobs a previous process left behind: follow every
 * job fal knows about, fail (with a refund and a message) every job that died
 * before it was submitted, and settle the money of jobs that ended just
 * before a crash. Only jobs from before `startedAt`: an interaction that
 * arrives as the gateway connects is already this process's own job.
 */
export async function recoverJobs(startedAt: number, deps: RecoveryDeps): Promise<RecoveryReport> {
  const { jobs, lifecycle } = deps;
  const fromBefore = (list: Job[]) => list.filter((job) => job.createdAt < startedAt);

  const tracked = fromBefore(await jobs.inStates(TRACKED_STATES));
  for (const job of tracked) {
    lifecycle.log(job).info({ state: job.state }, 'resuming job after restart');
    deps.follow(job);
  }

  const unsubmitted = fromBefore(await jobs.inStates(PRE_SUBMIT_STATES));
  for (const job of unsubmitted) {
    if (job.state === 'prepared') {
      // The process died between "prepared" and "submitted": the submit may or may not
      // have reached fal, and fal offers no way to look a job up without its id.
      lifecycle.log(job).warn('job died around its submit; fal may have run it without us (check the fal dashboard)');
    }
    await lifecycle.fail(job.id, new UnavailableError(localized('error.restartedBeforeStart')));
  }

  return { resumed: tracked.length, failed: unsubmitted.length, settled: await settleFinishedJobs(deps) };
}

/**
 * A job's final state and its quota settlement are two writes; a crash
 * between them leaves a finished job whose reservation is still open. Settle
 * those by how the job ended (the ledger takes each at most once).
 */
export async function settleFinishedJobs({ jobs, quota, lifecycle }: Pick<RecoveryDeps, 'jobs' | 'quota' | 'lifecycle'>): Promise<number> {
  let settled = 0;
  for (const jobId of await quota.unsettledJobIds()) {
    const job = await jobs.find(jobId);
    if (!job || !isTerminal(job.state)) continue;
    await lifecycle.settle(job);
    lifecycle.log(job).warn({ state: job.state }, 'settled the quota of a job finished before a crash');
    settled += 1;
  }
  return settled;
}
