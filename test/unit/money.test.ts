import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config.js';
import { formatUsd, parseUsdToCents } from '../../src/quota/money.js';
import { budgetCentsFromDollars } from '../../src/quota/rules.js';

const requiredEnv = {
  DISCORD_TOKEN: 'a'.repeat(24) + '.bbbbbb.' + 'c'.repeat(27),
  DISCORD_APPLICATION_ID: '123456789012345678',
  FAL_KEY: 'key-id:key-secret',
};

function configProblems(env: Record<string, string>): readonly string[] {
  try {
    parseConfig({ ...requiredEnv, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseUsdToCents', () => {
  it('turns dollars, written or typed, into integer cents the way the decimal reads', () => {
    const cents = (usd: number | string) => parseUsdToCents(usd, 1_000_000);
    expect(cents('12.5')).toEqual({ ok: true, cents: 1250 });
    expect(cents(19.99)).toEqual({ ok: true, cents: 1999 });
    expect(cents('0.29')).toEqual({ ok: true, cents: 29 });
    expect(cents('12.345')).toEqual({ ok: true, cents: 1235 });
    // 1.005 is 1.00499999… as a float: still a cent and a half, rounded up.
    expect(cents(1.005)).toEqual({ ok: true, cents: 101 });
    expect(cents(0)).toEqual({ ok: true, cents: 0 });
    expect(cents('0.01')).toEqual({ ok: true, cents: 1 });
    expect(cents(1_000_000)).toEqual({ ok: true, cents: 100_000_000 });
  });

  it('says why it refuses an amount', () => {
    const problem = (usd: number | string) => {
      const parsed = parseUsdToCents(usd, 100);
      return parsed.ok ? `accepted ${parsed.cents}` : parsed.problem;
    };
    expect(problem('ten')).toBe('not_an_amount');
    expect(problem(Number.NaN)).toBe('not_an_amount');
    expect(problem(Number.POSITIVE_INFINITY)).toBe('not_an_amount');
    expect(problem(-0.5)).toBe('negative');
    expect(problem(100.01)).toBe('above_max');
    expect(problem(0.004)).toBe('below_one_cent');
    expect(problem(1e-9)).toBe('below_one_cent');
  });
});

describe('formatUsd', () => {
  it('writes cents as dollars with two decimals', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(5)).toBe('$0.05');
    expect(formatUsd(1165)).toBe('$11.65');
    expect(formatUsd(100_000)).toBe('$1000.00');
  });
});

describe('dollar amounts from the operator and from moderators', () => {
  it('parse .env amounts into cents, naming the setting when one is wrong', () => {
    const { quota } = parseConfig({ ...requiredEnv, MAX_GUILD_BUDGET_USD: '250.5', DEFAULT_GUILD_BUDGET_USD: '0' });
    expect(quota.maxGuildBudgetCents).toBe(25_050);
    expect(quota.defaults.budgetCents).toBe(0);
    expect(configProblems({ MAX_GUILD_BUDGET_USD: '1000001' })).toEqual(['MAX_GUILD_BUDGET_USD must be at most 1000000 (US dollars)']);
    // Like a moderator's typo, a fraction of a cent would silently mean $0 (nothing may be spent).
    expect(configProblems({ DEFAULT_GUILD_BUDGET_USD: '0.004' })).toEqual(['DEFAULT_GUILD_BUDGET_USD must be at least 0.01 (US dollars), or 0']);
  });

  it('refuse a moderator’s amount with a sentence for the moderator', () => {
    expect(budgetCentsFromDollars(7.5)).toBe(750);
    expect(() => budgetCentsFromDollars(-1)).toThrow('The amount must be 0 or more US dollars.');
    expect(() => budgetCentsFromDollars(Number.NaN)).toThrow('The amount must be 0 or more US dollars.');
    expect(() => budgetCentsFromDollars(100_000.01)).toThrow('The amount can be at most $100000.');
    expect(() => budgetCentsFromDollars(0.004)).toThrow('The amount must be at least $0.01, or 0 to stop spending.');
  });
});
