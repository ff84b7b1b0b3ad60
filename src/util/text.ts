/**
 * Characters that show nothing or rearrange what is shown: controls (except the
 * whitespace that cleanMemberText flattens), format characters (zero-width, bidi
 * embeddings, overrides and isolates, the Arabic letter mark, soft hyphens,
 * tags), lone surrogates and the Hangul fillers that render as blanks.
 */
const INVISIBLE = /(?![\t\n\v\f\r])[\p{Cc}\p{Cf}\p{Cs}\u115F\u1160\u3164\uFFA0]/gu;

/** The text without invisible characters: what a member can actually see of it. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}
