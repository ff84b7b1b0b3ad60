import { randomBytes } from 'node:crypto';
import { en } from './i18n/en.js';
import { DEFAULT_LOCALE, type Locale } from './i18n/locale.js';
import { localized, translate, type MemberText } from './i18n/text.js';

/**
 * Errors that carry their audience: `memberMessage` is written for the person
 * in Discord (short, specific, no internals); `cause` is for the log only.
 * Thrown with a catalogue text (`localized('media.imageDamaged')`), the
 * sentence is said in each reader's language where it is shown
 * (`memberMessageIn`); English stays the `memberMessage`.
 * Anything that is not a UserFacingError is a bug: the router logs it and tells
 * the member "something went wrong, you were not charged".
 */
export abstract class UserFacingError extends Error {
  abstract readonly kind: 'input' | 'quota' | 'upstream' | 'unavailable';

  /** The member's sentence in English (what logs and stored jobs keep). */
  readonly memberMessage: string;
  /** The same sentence as the catalogue knows it, to say in the reader's language (memberMessageIn). */
  readonly memberText: MemberText;
  /** The member message already says that nothing was charged (so nobody adds it twice). */
  readonly saysNotCharged: boolean;

  constructor(memberText: MemberText, options?: { cause?: unknown; logMessage?: string; saysNotCharged?: boolean }) {
    const memberMessage = translate(DEFAULT_LOCALE, memberText);
    super(options?.logMessage ?? memberMessage, { cause: options?.cause });
    this.name = new.target.name;
    this.memberMessage = memberMessage;
    this.memberText = memberText;
    this.saysNotCharged = options?.saysNotCharged ?? false;
  }

  /** The member's sentence in their language (as written, when it was given as plain words). */
  memberMessageIn(locale: Locale): string {
    return translate(locale, this.memberText);
  }
}

/** The member sent something we will not pay fal for (bad file, long prompt…). */
export class InputError extends UserFacingError {
  readonly kind = 'input' as const;
}

/** A quota rule stops the job; `retryAt` says when trying again may work. */
export class QuotaError extends UserFacingError {
  readonly kind = 'quota' as const;

  constructor(
    memberMessage: MemberText,
    readonly rule: string,
    readonly retryAt?: Date,
    options?: { cause?: unknown },
  ) {
    super(memberMessage, options);
  }
}

/** fal (or another service we depend on) failed or refused the job. */
export class UpstreamError extends UserFacingError {
  readonly kind = 'upstream' as const;
  /** fal said (or the failure shows) that trying the same call again may work. */
  readonly retryable: boolean;
  /** How long fal asked us to wait before trying again (its Retry-After header), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(
    memberMessage: MemberText,
    readonly code: string,
    options?: { cause?: unknown; logMessage?: string; retryable?: boolean; saysNotCharged?: boolean; retryAfterMs?: number },
  ) {
    super(memberMessage, options);
    this.retryable = options?.retryable ?? false;
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** The bot is shutting down or otherwise not taking work right now. */
export class UnavailableError extends UserFacingError {
  readonly kind = 'unavailable' as const;
}

export const GENERIC_FAILURE_MESSAGE = en['error.generic'];

/** Whether the member's sentence for this error already says nothing was charged. */
export function statesNoCharge(error: unknown): boolean {
  return error instanceof UserFacingError ? error.saysNotCharged : true;
}

/**
 * The sentence to show a member for any error, in their language, never
 * leaking internals. For a bug, `reportId` (logged with the error) is added,
 * so what the member reports leads to the log line.
 */
export function memberMessageFor(error: unknown, reportId?: string, locale: Locale = DEFAULT_LOCALE): string {
  if (error instanceof UserFacingError) return error.memberMessageIn(locale);
  return translate(locale, reportId === undefined ? localized('error.generic') : localized('error.genericWithReport', { reportId }));
}

/** A short id for one unexpected error: eight hex digits, enough to find its log line. */
export function newReportId(): string {
  return randomBytes(4).toString('hex');
}
