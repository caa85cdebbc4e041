/** What the cache needs of a session: ONNX Runtime's InferenceSession, or a stand-in in tests. */
export interface Releasable {
  release(): Promise<void>;
}

interface Entry<S> {
  session: Promise<S>;
  bytes: number;
  inFlight: number;
}

/**
 * Sessions by shape, least recently used first out once their estimated memory passes a budget.
 *
 * One session per (batch, support, size) is built on first use because ONNX Runtime plans memory for fixed
 * shapes, and with the CPU arena each keeps its peak activations for good: about 3 KiB per support pixel, 1.5 GiB
 * at N = 32 and 128 px. Propagation uses about ten small shapes in one run and must not rebuild them (0.5-1 s
 * each), but tasks whose pools hold different numbers of slices at large N added a session each until the
 * process ran out of memory. A session in use is never released; it leaves once its runs are done.
 */
export class SessionCache<S extends Releasable> {
  private readonly entries = new Map<string, Entry<S>>();

  constructor(private readonly budgetBytes: number) {}

  /** Runs `work` on the session for `key`, building it with `create` if it is not cached. */
  async use<T>(key: string, bytes: number, create: () => Promise<S>, work: (session: S) => Promise<T>): Promise<T> {
    let entry = this.entries.get(key);
    if (entry) this.entries.delete(key);
    else {
      entry = { session: create(), bytes, inFlight: 0 };
      entry.session.catch(() => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      });
    }
    // Re-inserted last: a Map iterates in insertion order, so the first entries are the least recently used.
    this.entries.set(key, entry);
    entry.inFlight++;
    try {
      this.trim();
      return await work(await entry.session);
    } finally {
      entry.inFlight--;
      this.trim();
    }
  }

  /** Keys cached now, least recently used first. */
  get keys(): string[] {
    return [...this.entries.keys()];
  }

  async release(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map((e) => drop(e)));
  }

  private trim(): void {
    let total = [...this.entries.values()].reduce((sum, e) => sum + e.bytes, 0);
    const newest = [...this.entries.keys()].at(-1);
    for (const [key, entry] of this.entries) {
      if (total <= this.budgetBytes) return;
      // The newest stays even alone over the budget: the next image of a batch most likely has the same shape.
      if (entry.inFlight > 0 || key === newest) continue;
      this.entries.delete(key);
      total -= entry.bytes;
      void drop(entry);
    }
  }
}

async function drop<S extends Releasable>(entry: Entry<S>): Promise<void> {
  await (await entry.session.catch(() => null))?.release();
}
