import { z } from 'zod';

/**
 * Money is integer cents everywhere inside the bot. This is the one place
 * where dollars, as an operator or a moderator writes them, become cents, and
 * where cents become "$12.50" again.
 */

/** Why an amount of dollars was refused; each caller words it for its own reader. */
export type UsdProblem = 'not_an_amount' | 'negative' | 'above_max' | 'below_one_cent';

export type ParsedUsd = { ok: true; cents: number } | { ok: false; problem: UsdProblem };

/**
 * Dollars ("12.5", 19.99) → integer cents, rounded to the nearest cent.
 * Rounding goes through 15 significant digits first, so the binary float of
 * 0.29 (28.999… cents) or 12.345 (1234.4999… cents) rounds the way the
 * decimal number reads.
 */
export function parseUsdToCents(usd: number | string, maxUsd: number): ParsedUsd {
  const amount = typeof usd === 'number' ? usd : Number(usd);
  if (!Number.isFinite(amount)) return { ok: false, problem: 'not_an_amount' };
  if (amount < 0) return { ok: false, problem: 'negative' };
  if (amount > maxUsd) return { ok: false, problem: 'above_max' };
  // A typo like 0.004 must not silently become $0: a $0 budget stops /animate.
  if (amount > 0 && amount < 0.01) return { ok: false, problem: 'below_one_cent' };
  return { ok: true, cents: Math.round(Number((amount * 100).toPrecision(15))) };
}

export function formatUsd(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}

/** How a bad amount in `.env` is reported: "GLOBAL_DAILY_BUDGET_USD must be 0 or more (US dollars)". */
function operatorProblem(problem: UsdProblem, maxUsd: number): string {
  switch (problem) {
    case 'not_an_amount':
      return 'must be an amount of US dollars, like 12.50';
    case 'negative':
      return 'must be 0 or more (US dollars)';
    case 'above_max':
      return `must be at most ${maxUsd} (US dollars)`;
    case 'below_one_cent':
      return 'must be at least 0.01 (US dollars), or 0';
  }
}

/** An operator's setting in dollars ("12.5"), kept as integer cents from here on; `defaultCents` when unset. */
export function usdEnv(options: { defaultCents: number; maxUsd: number }) {
  return z
    .string()
    .transform((text, ctx) => {
      const parsed = parseUsdToCents(text, options.maxUsd);
      if (parsed.ok) return parsed.cents;
      ctx.addIssue({ code: 'custom', message: operatorProblem(parsed.problem, options.maxUsd) });
      return z.NEVER;
    })
    .default(options.defaultCents);
}
