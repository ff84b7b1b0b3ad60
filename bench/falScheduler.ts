// fal's work on a clock: the fake fal moves a job only when asked (each status
// call takes a step), so these benchmarks give each job a time in line and a
// time running, counted from its submit, and finish it on time whether or not
// anyone asks. The moment a job turns COMPLETED is known exactly: the bot's
// "fal finished → video" delay starts there.
import { step, type FakeFal, type FalScript } from '../test/fakes/fakeFal.js';

const WATCH_EVERY_MS = 5;

/** In line (place 2) until released, then running until released again, then COMPLETED; with `webhook`, fal calls back. */
export function timedJobScript(webhook: boolean): FalScript {
  return [
    step.queued(2),
    step.waitsInQueue(),
    step.running('Generating frames'),
    step.hangs(),
    step.completes(),
    ...(webhook ? [step.callsWebhook()] : []),
  ];
}

export interface TimedJob {
  requestId: string;
  /** The submitted prompt: the benchmark's tag for the member's interaction is in it. */
  prompt: string;
  submittedAt: number;
  /** When fal turned it COMPLETED (ms since the epoch). */
  completedAt?: number;
}

export interface FalClock {
  readonly jobs: TimedJob[];
  stop(): void;
}

/**
 * Watches the fake's submits; each job (of `timedJobScript`) waits in line
 * `queueMs` and is COMPLETED `falMsFor(prompt)` after its submit.
 */
export function runFalOnAClock(fal: FakeFal, queueMs: number, falMsFor: (prompt: string) => number): FalClock {
  const jobs: TimedJob[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const at = (delayMs: number, action: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, delayMs);
    timers.add(timer);
  };
  let seen = 0;
  const watcher = setInterval(() => {
    for (; seen < fal.submits.length; seen += 1) {
      const submit = fal.submits[seen]!;
      const job: TimedJob = { requestId: submit.requestId, prompt: String(submit.input?.prompt ?? ''), submittedAt: Date.now() };
      jobs.push(job);
      at(queueMs, () => fal.release(job.requestId));
      at(falMsFor(job.prompt), () => {
        fal.release(job.requestId);
        fal.finishNow(job.requestId);
        job.completedAt = Date.now();
      });
    }
  }, WATCH_EVERY_MS);
  return {
    jobs,
    stop() {
      clearInterval(watcher);
      for (const timer of timers) clearTimeout(timer);
    },
  };
}
