/**
 * Least-recently-used cache of async values weighed in bytes: volumes are large (a 512x512x400 CT is 400 MiB of
 * float32), so the budget is memory, not a count. Concurrent gets of one key share a single load; a failed load is
 * not cached. The newest entry always stays, even when it alone is over budget.
 */
export class LruCache<V> {
  private entries = new Map<string, { value: Promise<V>; bytes: number }>();

  constructor(
    private readonly budgetBytes: number,
    private readonly weigh: (value: V) => number,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const entry = { value: load(), bytes: 0 };
    this.entries.set(key, entry);
    entry.value.then(
      (value) => {
        entry.bytes = this.weigh(value);
        this.evict(key);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  private evict(keep: string): void {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.bytes;
    for (const [key, entry] of this.entries) {
      if (total <= this.budgetBytes) break;
      if (key === keep) continue;
      total -= entry.bytes;
      this.entries.delete(key);
    }
  }
}
