/**
 * Follows the slice a view wants while the user scrolls faster than slices arrive. One request is in flight at a
 * time; its answer is shown (it is never older than what is on screen) and the slice wanted by then is asked for
 * next. Slices scrolled past in between are never requested, so the engine answers what is being looked at instead
 * of a queue of slices already left behind, and the view keeps moving with the scroll instead of waiting for it
 * to stop. `settled` runs once the view shows what is wanted (the time to fetch its neighbours ahead).
 */
export class SliceFollower<Ref, Loaded> {
  private wanted: { key: string; ref: Ref } | null = null;
  private shownKey = '';
  private running = false;

  constructor(
    private readonly load: (ref: Ref) => Promise<Loaded | undefined>,
    private readonly show: (ref: Ref, loaded: Loaded) => void,
    private readonly settled: (ref: Ref) => void,
  ) {}

  /** The view now wants this slice (`key` identifies it); the same key again changes nothing. */
  want(key: string, ref: Ref): void {
    if (this.wanted?.key === key) return;
    this.wanted = { key, ref };
    if (!this.running) void this.follow();
  }

  /** Nothing to show any more: an answer still on its way is dropped. */
  clear(): void {
    this.wanted = null;
    this.shownKey = '';
  }

  private async follow(): Promise<void> {
    this.running = true;
    try {
      while (this.wanted && this.wanted.key !== this.shownKey) {
        const asked = this.wanted;
        const loaded = await this.load(asked.ref);
        if (this.wanted === null) return;
        if (loaded === undefined) {
          // It failed (and said so): try again only when something else is wanted.
          if (this.wanted === asked) return;
          continue;
        }
        this.shownKey = asked.key;
        this.show(asked.ref, loaded);
      }
      if (this.wanted) this.settled(this.wanted.ref);
    } finally {
      this.running = false;
    }
  }
}
