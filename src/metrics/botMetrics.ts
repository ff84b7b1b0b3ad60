import { Counter, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';
import type { JobEvent, JobEvents } from '../jobs/events.js';

/** One call to fal, as the gateway's observer reports it (src/fal knows nothing of metrics). */
export interface FalCallObservation {
  kind: 'submit' | 'status' | 'stream' | 'result' | 'cancel' | 'upload';
  outcome: string;
}

/** One answer from Discord's REST API; a rate limit counts as its own outcome. */
export type DiscordRequestOutcome = 'ok' | 'client_error' | 'server_error' | 'rate_limited';

export interface BotMetrics {
  readonly registry: Registry;
  /** Pass to the fal gateway: counts each call by kind and outcome. */
  observeFal(call: FalCallObservation): void;
  observeDiscord(outcome: DiscordRequestOutcome): void;
}

/** Phase edges from a job's timestamps: seconds, or undefined when a phase did not happen. */
const PHASES = {
  queue: (job: JobEvent['job']) => span(job.submittedAt, job.startedAt),
  running: (job: JobEvent['job']) => span(job.startedAt, job.completedAt),
  delivering: (job: JobEvent['job']) => span(job.completedAt, job.finishedAt),
} as const;

// From a few seconds in line to the 20-minute maximum wait.
const PHASE_BUCKETS_SECONDS = [0.5, 1, 2.5, 5, 10, 20, 30, 60, 90, 120, 180, 300, 600, 1200];

/**
 * The bot's metrics on the registry given (not prom-client's global one). Job
 * counters follow the job events, so nothing in the pipeline calls metrics;
 * fal and Discord calls are counted by observers handed to their clients at
 * the composition root. Labels are bounded sets: never a server or member id.
 */
export function createBotMetrics(registry: Registry, events: JobEvents): BotMetrics {
  collectDefaultMetrics({ register: registry });
  const jobs = new Counter({
    name: 'animate_jobs_total',
    help: 'Jobs reaching each final state (delivered, failed, cancelled).',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const phases = new Histogram({
    name: 'animate_job_phase_seconds',
    help: 'Time jobs spent in each phase: queue (waiting at fal), running (fal making the video), delivering (result to Discord).',
    labelNames: ['phase'] as const,
    buckets: PHASE_BUCKETS_SECONDS,
    registers: [registry],
  });
  const falRequests = new Counter({
    name: 'animate_fal_requests_total',
    help: 'Calls to fal by kind (submit, status, result, cancel, upload) and outcome.',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const discordRequests = new Counter({
    name: 'animate_discord_requests_total',
    help: "Answers from Discord's REST API by outcome, rate limits included.",
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const spend = new Counter({
    name: 'animate_spend_cents_total',
    help: 'Money committed for delivered videos, in US cents, by UTC calendar month (period="YYYY-MM").',
    labelNames: ['period'] as const,
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'animate_quota_refusals_total',
    help: 'Jobs a quota rule refused, by rule.',
    labelNames: ['rule'] as const,
    registers: [registry],
  });

  events.subscribe((event) => {
    if (event.type !== 'ended') return;
    const { job, outcome } = event;
    jobs.inc({ state: job.state });
    if (outcome.refusedBy) refusals.inc({ rule: outcome.refusedBy });
    if (job.charged) spend.inc({ period: monthOf(event.at) }, job.costCents);
    if (job.state !== 'delivered') return;
    for (const [phase, measure] of Object.entries(PHASES)) {
      const seconds = measure(job);
      if (seconds !== undefined) phases.observe({ phase }, seconds);
    }
  });

  return {
    registry,
    observeFal: ({ kind, outcome }) => falRequests.inc({ kind, outcome }),
    observeDiscord: (outcome) => discordRequests.inc({ outcome }),
  };
}

function span(fromMs: number | null, toMs: number | null): number | undefined {
  if (fromMs === null || toMs === null || toMs < fromMs) return undefined;
  return (toMs - fromMs) / 1000;
}

/** "2026-12": twelve series a year, whatever the number of servers. */
function monthOf(atMs: number): string {
  return new Date(atMs).toISOString().slice(0, 7);
}
