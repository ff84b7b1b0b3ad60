import { sleep } from '../util/sleep.js';

/**
 * Verified fal webhooks, as hints to the trackers waiting on their jobs
 * (tracking.ts). A webhook wakes its request's tracker, which confirms through
 * the queue API; each request is woken at most once, so fal's retries of the
 * same webhook (up to 10) cost nothing. A hint for a request nobody tracks
 * (finished, or tracked by another process) is dropped: the safety poll is
 * there for whatever a hint misses.
 */
export type HintOutcome = 'woke' | 'repeat' | 'unknown' | 'relayed';

export interface FalHints {
  /** What became of a verified webhook for this request ('relayed': passed to the other processes, src/queue). */
  hint(requestId: string): HintOutcome;
  /** Starts listening for this request's webhook (before the submit's request id is tracked). */
  watch(requestId: string): void;
  unwatch(requestId: string): void;
  /** Resolves on this request's webhook, after `ms`, or when `signal` aborts, whichever is first. */
  wait(requestId: string, ms: number, signal: AbortSignal): Promise<'hint' | 'timeout'>;
}

interface Watched {
  /** A webhook already came for it: later ones are repeats. */
  hinted: boolean;
  /** It came while nobody was waiting: the next wait returns at once. */
  pending: boolean;
  wake?: () => void;
}

export function createFalHints(): FalHints {
  const watched = new Map<string, Watched>();
  return {
    hint(requestId) {
      const entry = watched.get(requestId);
      if (!entry) return 'unknown';
      if (entry.hinted) return 'repeat';
      entry.hinted = true;
      if (entry.wake) entry.wake();
      else entry.pending = true;
      return 'woke';
    },
    watch(requestId) {
      if (!watched.has(requestId)) watched.set(requestId, { hinted: false, pending: false });
    },
    unwatch(requestId) {
      watched.delete(requestId);
    },
    async wait(requestId, ms, signal) {
      const entry = watched.get(requestId);
      if (!entry) {
        await sleep(ms, signal);
        return 'timeout';
      }
      if (entry.pending) {
        entry.pending = false;
        return 'hint';
      }
      const woken = new AbortController();
      let hinted = false;
      entry.wake = () => {
        hinted = true;
        woken.abort();
      };
      await sleep(ms, AbortSignal.any([signal, woken.signal]));
      if (entry.wake) delete entry.wake;
      return hinted ? 'hint' : 'timeout';
    },
  };
}
