import type { EditPace } from './editPace.js';

/**
 * Sends the latest of a stream of progress payloads, at most once per
 * `intervalMs`, never two at a time, and drops the stale ones. Discord queues
 * edits per interaction token, so a bot that edits on every poll makes its
 * final message wait behind every stale progress edit (PROTOCOLS.md §3).
 * With a `pace` shared by many editors, each edit also waits for a slot of it;
 * what is sent then is the latest payload, pushed while it waited.
 * `close` cancels whatever is pending and waits for the edit in flight, so
 * the caller's last word lands after every progress edit.
 */
export class ThrottledEditor<P> {
  private pending: P | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The edit being sent; close() waits for it, never for a slot of the pace. */
  private inFlight: Promise<void> | undefined;
  private waitingForSlot = false;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private finished = false;

  constructor(
    private readonly send: (payload: P) => Promise<void>,
    private readonly intervalMs: number,
    private readonly now: () => number,
    private readonly onError: (error: unknown) => void,
    private readonly pace?: EditPace,
  ) {}

  push(payload: P): void {
    if (this.finished) return;
    this.pending = payload;
    this.schedule();
  }

  /** Drops whatever is pending and waits for the edit in flight; nothing is sent afterwards. */
  async close(): Promise<void> {
    this.finished = true;
    this.pending = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private schedule(): void {
    if (this.timer || this.inFlight || this.waitingForSlot || this.pending === undefined) return;
    const waitMs = Math.max(0, this.lastSentAt + this.intervalMs - this.now());
    this.timer = setTimeout(() => this.flush(), waitMs);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = undefined;
    if (this.pending === undefined || this.finished) return;
    if (!this.pace) {
      this.sendPending();
      return;
    }
    this.waitingForSlot = true;
    void this.pace.slot().then(() => {
      this.waitingForSlot = false;
      this.sendPending();
    });
  }

  /** Sends the latest payload (pushed meanwhile, perhaps); nothing once closed. */
  private sendPending(): void {
    const payload = this.pending;
    if (payload === undefined || this.finished) return;
    this.pending = undefined;
    this.lastSentAt = this.now();
    this.inFlight = this.send(payload)
      .catch(this.onError)
      .finally(() => {
        this.inFlight = undefined;
        this.schedule();
      });
  }
}
