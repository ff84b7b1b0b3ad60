import type { JobRow } from '../store/schema.js';

/** Who is asking, as far as quota rules care. */
export interface MemberContext {
  roleIds: readonly string[];
}

/** What a reservation cost and what is left, for the member's progress line. */
export interface Reservation {
  costCents: number;
  /** Budget left in the server's period after this job, or null when there is no budget. */
  remainingCents: number | null;
  /** "today", "this week", "this month". */
  periodLabel: string | null;
}

/**
 * The seam between jobs and money. `reserve` runs before any paid call, in one
 * transaction that checks every rule, and throws a QuotaError naming the rule
 * that blocks the job; `commit` and `refund` settle it, each at most once per
 * job (a refund of a job that reserved nothing does nothing).
 */
export interface QuotaService {
  reserve(job: JobRow, member: MemberContext): Promise<Reservation>;
  commit(job: JobRow): Promise<void>;
  refund(job: JobRow): Promise<void>;
}

/** No limits: what a deployment without quota rules gets. */
export const unlimitedQuota: QuotaService = {
  reserve: (job) => Promise.resolve({ costCents: job.cost_cents, remainingCents: null, periodLabel: null }),
  commit: () => Promise.resolve(),
  refund: () => Promise.resolve(),
};
