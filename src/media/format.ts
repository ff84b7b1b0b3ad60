import { localized, type MemberText } from '../i18n/text.js';

/**
 * Numbers as members read them. Rounding goes away from the limit (a file just
 * over 10 MB shows as "10.1 MB", never "10.0 MB"), so a rejection never quotes a
 * value that looks allowed.
 */

const BYTES_PER_MB = 1024 * 1024;
// Guards against binary float noise such as 30.1 * 10 = 301.00000000000006.
const EPSILON = 1e-9;

export type Rounding = 'up' | 'down';

function oneDecimal(value: number, rounding: Rounding): string {
  const tenths = rounding === 'up' ? Math.ceil(value * 10 - EPSILON) : Math.floor(value * 10 + EPSILON);
  return (tenths / 10).toFixed(1);
}

/** "10 MB" for a whole limit, otherwise one decimal rounded as asked ("10.1 MB"). */
export function formatMegabytes(bytes: number, rounding: Rounding = 'up'): string {
  const megabytes = bytes / BYTES_PER_MB;
  return Number.isInteger(megabytes) ? `${megabytes} MB` : `${oneDecimal(megabytes, rounding)} MB`;
}

/** One decimal: "2.9 s"; a sliver of a second is "under 0.1 s" (said in the reader's language), not "0.0 s". */
export function formatSeconds(seconds: number, rounding: Rounding): MemberText {
  const shown = oneDecimal(seconds, rounding);
  return shown === '0.0' && seconds > 0 ? localized('media.underTenthSecond') : `${shown} s`;
}
