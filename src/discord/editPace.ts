/**
 * Progress edits of all jobs together, at most `perSecond` (after a burst of
 * as many). discord.js counts every webhook edit against the bot's 50 requests
 * a second and queues the rest without bound: with a thousand jobs in flight,
 * progress edits every few seconds each would keep that queue full, and a
 * finished job's video (sent beside this pace, never through it) would wait
 * behind them. Slots are handed out in the order they were asked for.
 */
export class EditPace {
  private readonly waiting: Array<() => void> = [];
  private readonly slotMs: number;
  /** When the next slot is free. */
  private nextSlotAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;

  /** `now` is the real clock, whatever clock the jobs read: this is about requests per second to Discord. */
  constructor(
    perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.slotMs = 1000 / perSecond;
  }

  /** Resolves when this caller may send one edit. */
  slot(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.handOut();
    });
  }

  private handOut(): void {
    if (this.timer) return;
    const now = this.now();
    // Slots left unused in the last second may be taken at once: a burst of `perSecond`.
    this.nextSlotAt = Math.max(this.nextSlotAt, now - 1000 + this.slotMs);
    while (this.waiting.length > 0 && this.nextSlotAt <= now) {
      this.nextSlotAt += this.slotMs;
      this.waiting.shift()!();
    }
    if (this.waiting.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.handOut();
    }, this.nextSlotAt - now);
    this.timer.unref();
  }
}
