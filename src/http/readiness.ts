import { withinMs } from '../util/withinMs.js';

/**
 * What /readyz asks before saying the process may take traffic. Each check
 * has a name (the 503 names the ones that failed) and answers quickly; other
 * parts add their own (the queue, in scale-out mode) with `add`.
 */
export interface ReadinessCheck {
  name: string;
  /** True when ready; a throw or a slow answer counts as not ready. */
  check(): boolean | Promise<boolean>;
}

export interface ReadinessReport {
  ready: boolean;
  /** Names of the checks that failed, in the order they were added. */
  failed: string[];
}

export interface Readiness {
  add(check: ReadinessCheck): void;
  run(): Promise<ReadinessReport>;
}

/** A check slower than this is as good as failed: a load balancer should not wait on it. */
const CHECK_TIMEOUT_MS = 2_000;

export function createReadiness(checks: readonly ReadinessCheck[] = []): Readiness {
  const all = [...checks];
  return {
    add(check) {
      all.push(check);
    },
    async run() {
      const results = await Promise.all(all.map(async ({ name, check }) => ({ name, ok: await passes(check) })));
      const failed = results.filter((result) => !result.ok).map((result) => result.name);
      return { ready: failed.length === 0, failed };
    },
  };
}

async function passes(check: ReadinessCheck['check']): Promise<boolean> {
  return withinMs(Promise.resolve().then(check), CHECK_TIMEOUT_MS, 'the readiness check did not answer').catch(() => false);
}
