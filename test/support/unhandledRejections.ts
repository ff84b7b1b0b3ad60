/**
 * Records unhandled promise rejections in this test process while it listens.
 *
 * Why a file needs its own: vitest reports an unhandled rejection only while it is the sole
 * listener; once any other listener is on, it assumes user code handles them and stays silent.
 * So a file that listens must assert on what it heard, and should first prove it hears at all.
 */
export interface UnhandledRejections {
  /** Reasons heard so far, the deliberate control one excepted. */
  readonly reasons: unknown[];
  /** Whether the listener is still attached to `process`. */
  readonly listening: boolean;
  /** Rejects a promise nobody handles and waits until it is heard; fails if it is not. */
  proveItHearsOne(timeoutMs?: number): Promise<void>;
  stop(): void;
}

export function recordUnhandledRejections(): UnhandledRejections {
  const reasons: unknown[] = [];
  const listener = (reason: unknown) => reasons.push(reason);
  process.on('unhandledRejection', listener);
  return {
    reasons,
    get listening() {
      return process.listeners('unhandledRejection').includes(listener);
    },
    async proveItHearsOne(timeoutMs = 2_000) {
      const control = new Error('a deliberate unhandled rejection (control case)');
      // Node reports it once the microtask queue has drained without a handler attached.
      void Promise.reject(control);
      const deadline = Date.now() + timeoutMs;
      while (!reasons.includes(control)) {
        if (Date.now() > deadline) throw new Error(`no unhandled rejection heard within ${timeoutMs} ms: the listener is deaf`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      reasons.splice(reasons.indexOf(control), 1);
    },
    stop() {
      process.off('unhandledRejection', listener);
    },
  };
}
