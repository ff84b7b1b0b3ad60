/**
 * At most `size` holders at once; the rest wait in arrival order. Used to keep
 * heavy work (a job's picture download, check and upload) from taking the
 * whole event loop while interactions wait to be acknowledged.
 */
export class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`Slots needs a size of 1 or more, not ${size}`);
    this.free = size;
  }

  /** How many are waiting for a slot (metrics, tests). */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.take();
    try {
      return await work();
    } finally {
      this.give();
    }
  }

  private take(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}
