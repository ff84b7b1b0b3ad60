// The language a test uses to say what fal does with one submitted job: an ordered list of steps.
//
//   fal.scriptNext([step.queued(2), step.queued(1), step.running('Loading model'), step.completes()]);
//   fal.scriptNext([step.queued(0), step.running('x'), step.hangs(), step.fails(falValidationError('image_too_small'))]);
//   fal.scriptNext([step.submitRejected(falInfraError(429, 'rate_limited'))]);
//
// How a script runs (./job.ts does it):
// - A script is what happens to one submit. It may open with one submit step, which shapes the
//   submit's answer; `submitRejected` queues nothing and is then the whole script.
// - Every status call (or status-stream event) takes the next status step: `queued`, `running`,
//   `statusFails`, and the job's finish, `completes` or `fails`. A job can go back in line:
//   `queued` after `running` is what fal does when a runner dies.
// - `waitsInQueue`, `hangs` and `downloadsWait` hold the job (or its video) until the test calls
//   `release(requestId)`; each release lets the script's next hold go, even one not reached yet.
// - After the finish, result calls take `resultFailsOnce` steps one each, in order; the
//   `everyDownload…`/`downloadsWait` steps say how the CDN serves the video, every time.
// - Every script finishes the job exactly once. `checkScript` refuses a step out of place, so a
//   wrong script fails at the line that wrote it, not as a puzzling timeout.
//
// `callsWebhook(kind)` (after the finish) POSTs fal's webhook to the submit's `fal_webhook` URL the
// moment the job finishes: signed by the fake's test key (its JWKS: `fakeFal.jwksUrl`), or forged,
// unsigned, stale or by an unknown key. A bot in webhook mode polls rarely, so `fakeFal.finishNow(id)`
// lets the job walk its status steps to the finish on its own, as fal's work does.
//
// To add a kind of step (say, "calls the webhook"): add its type to FalStep, its place to
// PLACES and a constructor to `step` here, then its behaviour to STEP_BEHAVIOURS in ./job.ts
// (the compiler points at each spot). A step that takes no call (like the download steps) runs
// as soon as the job reaches it, so a webhook step placed after `completes()` would fire the
// moment the job completes.
import type { FalErrorResponse } from './errors.js';

/** How a webhook is made (./webhooks.ts): `signed` is fal's own; the others must be rejected. */
export type WebhookKind = 'signed' | 'badSignature' | 'unsigned' | 'stale' | 'unknownKey';

/** What `completes` hands back; what is left out follows the input or the sample video. */
export interface FalOutput {
  /** The video; default test/fixtures/sample.mp4. */
  video?: Buffer;
  /** Default: the input's seed, else a fixed one. */
  seed?: number;
  /** The prompt after fal's expansion; default: the input's prompt. */
  actualPrompt?: string;
}

/** Shapes the submit's answer; only as the script's first step. */
export type SubmitStep =
  | { kind: 'submitRejected'; error: FalErrorResponse }
  | { kind: 'submitAnswerLost'; error: FalErrorResponse }
  | { kind: 'submitAnswerHeld' }
  | { kind: 'submitAnswerBreaksOff' };

/** Taken by one status call each (held ones stay until released). */
export type StatusStep =
  | { kind: 'queued'; position: number }
  | { kind: 'running'; log: string }
  | { kind: 'statusFails'; error: FalErrorResponse }
  | { kind: 'waitsInQueue' }
  | { kind: 'hangs' };

/** Taken by a status call; ends the job. */
export type FinishStep = { kind: 'completes'; output: FalOutput } | { kind: 'fails'; error: FalErrorResponse };

/** What the result endpoint and the CDN do once the job has finished. */
export type AfterFinishStep =
  | { kind: 'resultFailsOnce'; error: FalErrorResponse }
  | { kind: 'everyDownloadFails'; error: FalErrorResponse }
  | { kind: 'everyDownloadBreaksOff' }
  | { kind: 'downloadsWait' }
  | { kind: 'callsWebhook'; webhook: WebhookKind };

export type FalStep = SubmitStep | StatusStep | FinishStep | AfterFinishStep;
export type FalStepKind = FalStep['kind'];
export type FalScript = readonly FalStep[];

/** Builds steps; each comment says what the step does on the wire. */
export const step = {
  /** The submit answers `error`; nothing is queued. The only step of its script. */
  submitRejected: (error: FalErrorResponse): FalStep => ({ kind: 'submitRejected', error }),
  /** The job IS queued, but the submit answers `error`: a lost answer. */
  submitAnswerLost: (error: FalErrorResponse): FalStep => ({ kind: 'submitAnswerLost', error }),
  /** The job is queued at once; the submit's answer waits for `releaseSubmits()`. */
  submitAnswerHeld: (): FalStep => ({ kind: 'submitAnswerHeld' }),
  /** The job is queued and the submit answers 200, but the body breaks off half-way (a dropped connection). */
  submitAnswerBreaksOff: (): FalStep => ({ kind: 'submitAnswerBreaksOff' }),

  /** IN_QUEUE at `position` (0: next in line). */
  queued: (position: number): FalStep => ({ kind: 'queued', position }),
  /** IN_PROGRESS, with one more log line. */
  running: (log: string): FalStep => ({ kind: 'running', log }),
  /** The status call answers `error`; the job does not move. */
  statusFails: (error: FalErrorResponse): FalStep => ({ kind: 'statusFails', error }),
  /** Stays IN_QUEUE where it is until `release(requestId)`. */
  waitsInQueue: (): FalStep => ({ kind: 'waitsInQueue' }),
  /** Stays IN_PROGRESS, with no new log line, until `release(requestId)`. */
  hangs: (): FalStep => ({ kind: 'hangs' }),

  /** COMPLETED; the result is the video (sample.mp4 unless `output.video`), on the CDN. */
  completes: (output: FalOutput = {}): FalStep => ({ kind: 'completes', output }),
  /** COMPLETED on the status; the result answers `error` (e.g. a 422 from falValidationError). */
  fails: (error: FalErrorResponse): FalStep => ({ kind: 'fails', error }),

  /** One result call answers `error`; the next gets the real result. */
  resultFailsOnce: (error: FalErrorResponse): FalStep => ({ kind: 'resultFailsOnce', error }),
  /** Every download of the video answers `error`. */
  everyDownloadFails: (error: FalErrorResponse): FalStep => ({ kind: 'everyDownloadFails', error }),
  /** Every download declares the whole video, sends its first half, then closes. */
  everyDownloadBreaksOff: (): FalStep => ({ kind: 'everyDownloadBreaksOff' }),
  /** Downloads of the video wait until `release(requestId)`. */
  downloadsWait: (): FalStep => ({ kind: 'downloadsWait' }),
  /** As the job finishes, POSTs its webhook to the submit's `fal_webhook` URL: fal's own, or a forgery the bot must refuse. */
  callsWebhook: (webhook: WebhookKind = 'signed'): FalStep => ({ kind: 'callsWebhook', webhook }),
} as const;

/** fal's progress when a test does not say: three places in line, three log lines, the sample video. */
export const DEFAULT_FAL_SCRIPT: FalScript = [
  step.queued(2),
  step.queued(1),
  step.queued(0),
  step.running('Loading model'),
  step.running('Generating frames'),
  step.running('Encoding video'),
  step.completes(),
];

/** Where a kind of step may stand in a script. */
type Place =
  /** The whole script. */
  | 'alone'
  /** Before every other step. */
  | 'first'
  /** Before the finish. */
  | 'beforeFinish'
  /** Exactly one per script. */
  | 'finish'
  /** After the finish. */
  | 'afterFinish'
  /** After `completes()`: there is a video. */
  | 'afterCompletes';

const PLACES: Record<FalStepKind, Place> = {
  submitRejected: 'alone',
  submitAnswerLost: 'first',
  submitAnswerHeld: 'first',
  submitAnswerBreaksOff: 'first',
  queued: 'beforeFinish',
  running: 'beforeFinish',
  statusFails: 'beforeFinish',
  waitsInQueue: 'beforeFinish',
  hangs: 'beforeFinish',
  completes: 'finish',
  fails: 'finish',
  resultFailsOnce: 'afterFinish',
  everyDownloadFails: 'afterCompletes',
  everyDownloadBreaksOff: 'afterCompletes',
  downloadsWait: 'afterCompletes',
  callsWebhook: 'afterFinish',
};

export function isSubmitStep(candidate: FalStep): candidate is SubmitStep {
  const place = PLACES[candidate.kind];
  return place === 'alone' || place === 'first';
}

/** Returns the script, or throws naming the first step out of place. */
export function checkScript(script: FalScript): FalScript {
  const problem = problemWith(script);
  if (problem) throw new Error(`fake fal script [${script.map((s) => s.kind).join(', ')}]: ${problem}`);
  return script;
}

function problemWith(script: FalScript): string | undefined {
  if (script.length === 0) return 'a script needs at least one step';
  if (script[0]?.kind === 'submitRejected') {
    return script.length === 1 ? undefined : 'submitRejected() queues nothing, so it must be the only step';
  }
  const finishes = script.flatMap((candidate, index) => (PLACES[candidate.kind] === 'finish' ? [index] : []));
  const [finishAt] = finishes;
  if (finishAt === undefined || finishes.length > 1) {
    return 'the job must finish exactly once: one completes() or fails()';
  }
  const completes = script[finishAt]?.kind === 'completes';
  for (const [index, { kind }] of script.entries()) {
    const place = PLACES[kind];
    const where = `step ${index + 1} (${kind})`;
    if (place === 'alone') return `${where} queues nothing, so it must be the only step`;
    if (place === 'first' && index !== 0) return `${where} shapes the submit's answer, so it must come first`;
    if (place === 'beforeFinish' && index > finishAt) return `${where} must come before completes()/fails()`;
    if (place === 'afterFinish' && index < finishAt) return `${where} must come after completes()/fails()`;
    if (place === 'afterCompletes' && (index < finishAt || !completes)) return `${where} needs a video: put it after completes()`;
  }
  return undefined;
}
