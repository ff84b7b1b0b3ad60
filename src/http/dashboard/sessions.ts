import { randomBytes } from 'node:crypto';
import type { Clock } from '../../util/clock.js';

/**
 * Logged-in people, kept in the bot's memory. The cookie carries only a
 * random id (signed with SESSION_SECRET); the member's Discord access token
 * stays here and never reaches the browser. A session says who someone is,
 * never what they may do: every request asks Discord again (access.ts).
 *
 * In memory on purpose: one process serves the dashboard, a restart only asks
 * moderators to log in again, and no token is ever written to disk.
 */

export interface Session {
  readonly id: string;
  readonly userId: string;
  /** The member's name on Discord (global name, else username), for the header. */
  readonly userName: string;
  /** Their OAuth2 access token (scopes identify, guilds): secret, used only to ask Discord. */
  readonly accessToken: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** A one-time message for the next page ("Saved: …"). */
  flash: string | null;
}

/** A moderator's working day; Discord's tokens live a week, so this is what ends a session first. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60_000;
const MAX_SESSIONS = 10_000;

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly now: Clock) {}

  create(user: { id: string; name: string }, accessToken: string, tokenExpiresAt: number): Session {
    this.sweep();
    const createdAt = this.now();
    const session: Session = {
      id: randomBytes(32).toString('base64url'),
      userId: user.id,
      userName: user.name,
      accessToken,
      createdAt,
      expiresAt: Math.min(createdAt + SESSION_LIFETIME_MS, tokenExpiresAt),
      flash: null,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id; an expired one is forgotten on the spot. */
  get(id: string): Session | undefined {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  destroy(id: string): Session | undefined {
    const session = this.sessions.get(id);
    this.sessions.delete(id);
    return session;
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Drops expired sessions, and the oldest beyond the cap (a flood of logins cannot grow memory for ever). */
  private sweep(): void {
    const now = this.now();
    for (const [id, session] of this.sessions) {
      if (session.expiresAt <= now || this.sessions.size >= MAX_SESSIONS) this.sessions.delete(id);
    }
  }
}
