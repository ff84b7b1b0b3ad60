import type { JobRow } from '../store/schema.js';
import type { LedgerJob } from './quotaTypes.js';

/**
 * A job row as the ledger sees it. Temporary: the jobs part calls this at its
 * quota call sites until it passes its own typed Job.
 */
export function ledgerJobOf(row: JobRow): LedgerJob {
  return {
    id: row.id,
    guildId: row.guild_id,
    channelId: row.channel_id,
    userId: row.user_id,
    costCents: row.cost_cents,
    resolution: row.resolution,
    durationSeconds: row.duration_seconds,
    hasAudio: row.audio_source_url !== null,
  };
}
