import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { Clock } from '../util/clock.js';
import type { AttachmentRef } from './types.js';

/** The picture an "Animate image" form is about, from the right-click until the member submits it. */
export interface PendingAnimation {
  id: string;
  guildId: string | null;
  channelId: string;
  userId: string;
  image: AttachmentRef;
}

/** Forms left unsubmitted are forgotten after a day (Discord's attachment URLs expire about then anyway). */
const PENDING_LIFETIME_MS = 24 * 60 * 60_000;

/**
 * Pending "Animate image" forms in the store: the modal's custom_id carries
 * only a short id (custom ids hold 100 characters, an attachment URL more),
 * so the picture survives a restart between the right-click and the submit.
 */
export class PendingAnimations {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: Clock,
  ) {}

  async create(pending: Omit<PendingAnimation, 'id'>): Promise<PendingAnimation> {
    const id = randomBytes(9).toString('base64url');
    const at = this.now();
    await this.db.deleteFrom('pending_animations').where('created_at', '<', at - PENDING_LIFETIME_MS).execute();
    await this.db
      .insertInto('pending_animations')
      .values({
        id,
        guild_id: pending.guildId,
        channel_id: pending.channelId,
        user_id: pending.userId,
        image_url: pending.image.url,
        filename: pending.image.filename,
        content_type: pending.image.contentType ?? null,
        declared_size: pending.image.declaredSize,
        created_at: at,
      })
      .execute();
    return { id, ...pending };
  }

  async find(id: string): Promise<PendingAnimation | undefined> {
    const row = await this.db
      .selectFrom('pending_animations')
      .selectAll()
      .where('id', '=', id)
      .where('created_at', '>=', this.now() - PENDING_LIFETIME_MS)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      guildId: row.guild_id,
      channelId: row.channel_id,
      userId: row.user_id,
      image: { url: row.image_url, filename: row.filename, contentType: row.content_type ?? undefined, declaredSize: Number(row.declared_size) },
    };
  }
}
