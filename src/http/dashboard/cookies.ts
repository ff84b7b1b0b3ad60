/** The dashboard's cookies (all signed with SESSION_SECRET, HttpOnly, SameSite=Lax, Secure behind https). */

/** A random session id; the session itself stays in the bot's memory (sessions.ts). */
export const SESSION_COOKIE = 'dash_session';
/** The OAuth2 `state` this browser was given, read once by the callback. */
export const STATE_COOKIE = 'dash_oauth_state';
/** The secret behind the CSRF tokens of this browser's forms (@fastify/csrf-protection). */
export const CSRF_COOKIE = 'dash_csrf';
