import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { Clock } from '../util/clock.js';
import type { AnimateOptions } from './animateRequest.js';

/** A member's own defaults in one server (`/settings`); null = no preference (the server's default applies). */
export interface MemberSettings {
  resolution: string | null;
  durationSeconds: number | null;
  promptExpansion: boolean | null;
  privateResults: boolean | null;
}

export const NO_MEMBER_SETTINGS: MemberSettings = { resolution: null, durationSeconds: null, promptExpansion: null, privateResults: null };

/**
 * Fills what the member left out with their defaults. Explicit options win;
 * server rules are not consulted here: a default the server disallows is
 * refused by the quota check with its reason, never silently changed.
 */
export function withMemberDefaults(options: AnimateOptions, settings: MemberSettings): AnimateOptions {
  return {
    ...options,
    resolution: options.resolution ?? settings.resolution,
    duration: options.duration ?? settings.durationSeconds,
    promptExpansion: options.promptExpansion ?? settings.promptExpansion,
    privateResult: options.privateResult ?? settings.privateResults,
  };
}

/** Members' defaults in the store, one row per member and server. */
export class MemberSettingsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: Clock,
  ) {}

  async get(guildId: string | null, userId: string): Promise<MemberSettings> {
    if (guildId === null) return NO_MEMBER_SETTINGS;
    const row = await this.db
      .selectFrom('member_settings')
      .selectAll()
      .where('guild_id', '=', guildId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row) return NO_MEMBER_SETTINGS;
    return {
      resolution: row.resolution,
      durationSeconds: row.duration_seconds,
      promptExpansion: row.prompt_expansion === null ? null : row.prompt_expansion === 1,
      privateResults: row.private_results === null ? null : row.private_results === 1,
    };
  }

  /** Sets the given fields (undefined: unchanged); returns the settings as they now are. */
  async update(guildId: string, userId: string, patch: Partial<MemberSettings>): Promise<MemberSettings> {
    const merged: MemberSettings = { ...(await this.get(guildId, userId)), ...definedOnly(patch) };
    const values = {
      resolution: merged.resolution,
      duration_seconds: merged.durationSeconds,
      prompt_expansion: merged.promptExpansion === null ? null : Number(merged.promptExpansion),
      private_results: merged.privateResults === null ? null : Number(merged.privateResults),
      updated_at: this.now(),
    };
    await this.db
      .insertInto('member_settings')
      .values({ guild_id: guildId, user_id: userId, ...values })
      .onConflict((conflict) => conflict.columns(['guild_id', 'user_id']).doUpdateSet(values))
      .execute();
    return merged;
  }
}

function definedOnly(patch: Partial<MemberSettings>): Partial<MemberSettings> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<MemberSettings>;
}
