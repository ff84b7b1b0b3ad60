import type { Logger } from 'pino';
import type { ModelRegistry } from '../fal/models/registry.js';
import { HISTORY_SAMPLE_SIZE, typicalTimings, type TypicalTimings } from './eta.js';
import type { JobEvents } from './events.js';
import type { TimingKind } from './job.js';
import type { JobRepository } from './jobRepository.js';

export interface TimingHistoryDeps {
  jobs: Pick<JobRepository, 'recentTimings'>;
  models: ModelRegistry;
  logger: Logger;
}

/**
 * The typical timings of each kind of job (model, resolution, duration), kept
 * in memory: read from the store the first time a kind is asked for, and again
 * whenever one of its jobs is delivered. Progress updates, many per job, never
 * query the store.
 */
export class TimingHistory {
  private readonly cache = new Map<string, Promise<TypicalTimings>>();

  constructor(private readonly deps: TimingHistoryDeps) {}

  typicalFor(kind: TimingKind): Promise<TypicalTimings> {
    const key = keyOf(kind);
    const cached = this.cache.get(key);
    if (cached) return cached;
    return this.refresh(kind);
  }

  /** Re-reads a kind's history whenever one of its jobs is delivered; returns the unsubscribe. */
  watch(events: JobEvents): () => void {
    return events.subscribe(async (event) => {
      if (event.type === 'ended' && event.job.state === 'delivered') await this.refresh(event.job);
    });
  }

  private refresh(kind: TimingKind): Promise<TypicalTimings> {
    const key = keyOf(kind);
    const { model, resolution, durationSeconds } = kind;
    const modelTimings = this.deps.models.get(model).timings;
    const loading: Promise<TypicalTimings> = this.deps.jobs
      .recentTimings({ model, resolution, durationSeconds }, HISTORY_SAMPLE_SIZE)
      .then((samples) => typicalTimings(samples, modelTimings, kind))
      .catch((error: unknown) => {
        // An estimate is not worth failing a progress update for: the model's figures, and the next question reads again.
        this.deps.logger.warn({ err: error, model, resolution, durationSeconds }, 'could not read recent job timings');
        if (this.cache.get(key) === loading) this.cache.delete(key);
        return typicalTimings([], modelTimings, kind);
      });
    this.cache.set(key, loading);
    return loading;
  }
}

function keyOf({ model, resolution, durationSeconds }: TimingKind): string {
  return `${model}|${resolution}|${durationSeconds}`;
}
