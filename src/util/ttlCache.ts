import type { Clock } from './clock.js';

/**
 * A small cache whose entries live `ttlMs`, bounded to `maxEntries` (the
 * oldest go first). `get` shares one load between callers asking at once, and
 * a failed load is not kept, so the next caller tries again.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expiresAt: number }>();

  constructor(
    private readonly options: { ttlMs: number; maxEntries: number; now: Clock },
  ) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.options.now();
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > now) return cached.value;
    const value = load();
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: now + this.options.ttlMs });
    this.evict();
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  private evict(): void {
    const now = this.options.now();
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.options.maxEntries && entry.expiresAt > now) break;
      if (this.entries.size > this.options.maxEntries || entry.expiresAt <= now) this.entries.delete(key);
    }
  }
}
