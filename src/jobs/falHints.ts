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
  /** Starts listening for this request's webhook; one that came in the last minutes counts. */
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

/**
 * A webhook may come before its tracker listens (a quick job; in scale-out
 * mode the submit and the tracking can run in different processes). Such a
 * hint is kept this long, and the tracker that starts listening gets it.
 */
const EARLY_HINT_TTL_MS = 10 * 60_000;
const MAX_EARLY_HINTS = 10_000;

export function createFalHints(now: () => number = Date.now): FalHints {
  const watched = new Map<string, Watched>();
  // Insertion order is arrival order: the oldest are dropped first.
  const early = new Map<string, number>();
  const rememberEarly = (requestId: string) => {
    for (const [id, at] of early) {
      if (early.size < MAX_EARLY_HINTS && now() - at < EARLY_HINT_TTL_MS) break;
      early.delete(id);
    }
    early.set(requestId, now());
  };
  return {
    hint(requestId) {
      const entry = watched.get(requestId);
      if (!entry) {
        rememberEarly(requestId);
        return 'unknown';
      }
      if (entry.hinted) return 'repeat';
      entry.hinted = true;
      if (entry.wake) entry.wake();
      else entry.pending = true;
      return 'woke';
    },
    watch(requestId) {
      if (watched.has(requestId)) return;
      const at = early.get(requestId);
      early.delete(requestId);
      const cameEarly = at !== undefined && now() - at < EARLY_HINT_TTL_MS;
      watched.set(requestId, { hinted: cameEarly, pending: cameEarly });
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
