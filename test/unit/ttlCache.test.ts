import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../src/util/ttlCache.js';

describe('TtlCache', () => {
  it('keeps an answer for its time to live, then asks again', async () => {
    let now = 0;
    let loads = 0;
    const cache = new TtlCache<number>({ ttlMs: 30_000, maxEntries: 10, now: () => now });
    const load = () => Promise.resolve((loads += 1));
    expect(await cache.get('a', load)).toBe(1);
    now = 29_999;
    expect(await cache.get('a', load)).toBe(1);
    now = 30_000;
    expect(await cache.get('a', load)).toBe(2);
  });

  it('shares one load between callers asking at once, and keeps no failure', async () => {
    let loads = 0;
    const cache = new TtlCache<string>({ ttlMs: 1_000, maxEntries: 10, now: () => 0 });
    const slow = () => new Promise<string>((resolve) => setTimeout(() => resolve(`answer ${(loads += 1)}`), 10));
    expect(await Promise.all([cache.get('k', slow), cache.get('k', slow)])).toEqual(['answer 1', 'answer 1']);
    await expect(cache.get('x', () => Promise.reject(new Error('Discord is down')))).rejects.toThrow('Discord is down');
    expect(await cache.get('x', () => Promise.resolve('back'))).toBe('back');
  });

  it('holds at most maxEntries, dropping the oldest', async () => {
    const cache = new TtlCache<string>({ ttlMs: 60_000, maxEntries: 2, now: () => 0 });
    for (const key of ['a', 'b', 'c']) await cache.get(key, () => Promise.resolve(key));
    expect(await cache.get('a', () => Promise.resolve('reloaded'))).toBe('reloaded');
    expect(await cache.get('c', () => Promise.resolve('reloaded'))).toBe('c');
  });
});
