// One job on the fake queue, walking through its script (the step language is in ./scripts.ts).
//
// Progress is driven by calls, not by time: every status call (and every event of the status
// stream) takes the next status step, so tests do not depend on poll intervals. A step that takes
// no call runs as soon as the job reaches it.
import type { FileServing } from './cdn.js';
import type { FalErrorResponse } from './errors.js';
import { createGate, type Gate } from './gate.js';
import { isSubmitStep, type FalOutput, type FalScript, type FalStep, type SubmitStep, type WebhookKind } from './scripts.js';

/** The fake's own view of a job. On the wire a cancelled job reports COMPLETED. */
export type FakeFalJobState = 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED';

export interface RequestLog {
  message: string;
  level: 'INFO';
  source: 'user';
  timestamp: string;
}

/** How the job ended, for the result endpoint. */
export type JobOutcome = { kind: 'video'; output: FalOutput } | { kind: 'error'; error: FalErrorResponse };

/** What the rest of the fake does when a job gets somewhere. */
export interface JobHooks {
  /** The job completed: put its video on the CDN, served as `job.videoServing` says; returns the video's URL. */
  publishVideo(job: FakeJob, output: FalOutput): string;
  /** The job finished and its script says fal calls the webhook. */
  callWebhook?(job: FakeJob, kind: WebhookKind): void;
}

/** The steps a job walks through once the submit is answered. */
type JobStep = Exclude<FalStep, SubmitStep>;

/** What a call does with the step at the head of the script. */
type Move =
  /** The call answers from the job's (new) state; the step is done. */
  | 'took'
  /** The call answers from the job's state; the step stays until release(). */
  | 'held'
  /** The step is done without using the call; the next step gets it. */
  | 'passed'
  /** The call answers this error; the step is done. */
  | { answer: FalErrorResponse };

interface StepBehaviour<S extends JobStep> {
  /** The call that takes the step; 'nothing' runs it as soon as the job reaches it. */
  takenBy: 'status' | 'result' | 'nothing';
  /** Holds the job (or its video) until release(requestId) opens the step's gate. */
  holds?: true;
  run(job: FakeJob, step: S, gate: Gate): Move;
}

const STEP_BEHAVIOURS: { [K in JobStep['kind']]: StepBehaviour<Extract<JobStep, { kind: K }>> } = {
  queued: {
    takenBy: 'status',
    run(job, { position }) {
      job.state = 'IN_QUEUE';
      job.queuePosition = position;
      return 'took';
    },
  },
  running: {
    takenBy: 'status',
    run(job, { log }) {
      job.startRunning();
      job.logs.push({ message: log, level: 'INFO', source: 'user', timestamp: new Date().toISOString() });
      return 'took';
    },
  },
  statusFails: { takenBy: 'status', run: (_job, { error }) => ({ answer: error }) },
  waitsInQueue: { takenBy: 'status', holds: true, run: (_job, _step, gate) => (gate.isOpen ? 'passed' : 'held') },
  hangs: {
    takenBy: 'status',
    holds: true,
    run(job, _step, gate) {
      job.startRunning();
      return gate.isOpen ? 'passed' : 'held';
    },
  },
  completes: {
    takenBy: 'status',
    run(job, { output }) {
      job.finish({ kind: 'video', output });
      return 'took';
    },
  },
  fails: {
    takenBy: 'status',
    run(job, { error }) {
      job.finish({ kind: 'error', error });
      return 'took';
    },
  },
  resultFailsOnce: { takenBy: 'result', run: (_job, { error }) => ({ answer: error }) },
  everyDownloadFails: {
    takenBy: 'nothing',
    run(job, { error }) {
      job.videoServing.error = error;
      return 'passed';
    },
  },
  everyDownloadBreaksOff: {
    takenBy: 'nothing',
    run(job) {
      job.videoServing.breaksOff = true;
      return 'passed';
    },
  },
  callsWebhook: {
    takenBy: 'nothing',
    run(job, { webhook }) {
      job.callWebhook(webhook);
      return 'passed';
    },
  },
  downloadsWait: {
    takenBy: 'nothing',
    holds: true,
    run(job, _step, gate) {
      job.videoServing.heldUntil = gate.opened;
      return 'passed';
    },
  },
};

function behaviourOf<S extends JobStep>(jobStep: S): StepBehaviour<S> {
  // The table is keyed by kind, so the entry for `jobStep.kind` takes exactly this kind of step.
  return STEP_BEHAVIOURS[jobStep.kind] as unknown as StepBehaviour<S>;
}

export class FakeJob {
  state: FakeFalJobState = 'IN_QUEUE';
  queuePosition: number;
  readonly logs: RequestLog[] = [];
  startedAt: number | undefined;
  finishedAt: number | undefined;
  outcome: JobOutcome | undefined;
  videoUrl: string | undefined;
  readonly videoServing: FileServing = {};
  /** The submit's `fal_webhook` query parameter, when the bot sent one. */
  webhookUrl: string | undefined;
  private readonly steps: readonly JobStep[];
  /** One per step; only holding steps look at theirs. */
  private readonly gates: readonly Gate[];
  private next = 0;

  constructor(
    readonly requestId: string,
    readonly input: Record<string, unknown>,
    script: FalScript,
    private readonly hooks: JobHooks,
  ) {
    this.steps = script.filter((candidate): candidate is JobStep => !isSubmitStep(candidate));
    this.gates = this.steps.map(() => createGate());
    // The submit's answer already tells the job's first place in line.
    this.queuePosition = this.steps.find((candidate) => candidate.kind === 'queued')?.position ?? 0;
    this.runStepsThatTakeNoCall();
  }

  get isFinished(): boolean {
    return this.state === 'COMPLETED' || this.state === 'CANCELLED';
  }

  /** A status call (or stream event) moves the job; returns the error it answers, if its step says so. */
  takeStatusCall(): FalErrorResponse | undefined {
    for (;;) {
      if (this.isFinished) return undefined;
      const move = this.take('status');
      if (move !== 'passed') return typeof move === 'object' ? move.answer : undefined;
    }
  }

  /** fal works on its own: every status step up to the finish runs without a call (held steps stop it). */
  finishNow(): void {
    for (let guard = 0; !this.isFinished && guard <= this.steps.length; guard += 1) this.takeStatusCall();
    if (!this.isFinished) throw new Error(`fake fal: finishNow(${this.requestId}): the job is held; release() it first`);
  }

  callWebhook(kind: WebhookKind): void {
    if (!this.hooks.callWebhook) throw new Error('fake fal: this queue sends no webhooks');
    this.hooks.callWebhook(this, kind);
  }

  /** A result call of a finished job; returns the error it answers instead of the outcome, if a step says so. */
  takeResultCall(): FalErrorResponse | undefined {
    const move = this.take('result');
    return typeof move === 'object' ? move.answer : undefined;
  }

  /** fal cancels only while the job is still in line. */
  cancel(): boolean {
    if (this.state !== 'IN_QUEUE') return false;
    this.state = 'CANCELLED';
    this.finishedAt = Date.now();
    return true;
  }

  /** Lets the script's next hold go: the one the job waits at, or the next one it will reach. */
  release(): void {
    const holdAt = this.steps.findIndex((candidate, index) => behaviourOf(candidate).holds && !this.gates[index]?.isOpen);
    if (holdAt === -1) throw new Error(`fake fal: release(${this.requestId}): its script holds nothing (more)`);
    this.gates[holdAt]?.open();
  }

  startRunning(): void {
    this.state = 'IN_PROGRESS';
    this.startedAt ??= Date.now();
  }

  finish(outcome: JobOutcome): void {
    this.state = 'COMPLETED';
    this.finishedAt = Date.now();
    this.outcome = outcome;
    if (outcome.kind === 'video') this.videoUrl = this.hooks.publishVideo(this, outcome.output);
  }

  /** Runs the next step if `call` takes it; undefined when it does not (the call answers from the state). */
  private take(call: 'status' | 'result'): Move | undefined {
    const head = this.steps[this.next];
    const gate = this.gates[this.next];
    if (!head || !gate || behaviourOf(head).takenBy !== call) return undefined;
    const move = behaviourOf(head).run(this, head, gate);
    if (move !== 'held') {
      this.next += 1;
      this.runStepsThatTakeNoCall();
    }
    return move;
  }

  private runStepsThatTakeNoCall(): void {
    for (;;) {
      const head = this.steps[this.next];
      const gate = this.gates[this.next];
      if (!head || !gate || behaviourOf(head).takenBy !== 'nothing') return;
      behaviourOf(head).run(this, head, gate);
      this.next += 1;
    }
  }
}
