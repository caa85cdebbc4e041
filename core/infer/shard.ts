/** Part `index` (1-based) of `count`: a whole study split over several processes or machines. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses "i/n" (1 <= i <= n), as in `--shard 2/4`. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) throw new RangeError(`a shard is i/n with 1 <= i <= n, got '${text}'`);
  return { index, count };
}

/**
 * Round-robin over a list in a fixed order: the shards 1/n..n/n together hold every entry exactly once, and
 * each entry's shard depends only on its position, not on which machine asks.
 */
export function takeShard<T>(entries: readonly T[], shard: Shard | undefined): T[] {
  if (!shard) return [...entries];
  return entries.filter((_, i) => i % shard.count === shard.index - 1);
}
