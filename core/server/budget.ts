/**
 * A counted resource (bytes of bodies in memory, uploads in progress) that is either available now or refused:
 * a client that would exceed it is told to come back (503) rather than queued, so waiting costs us nothing.
 */
export class Budget {
  private used = 0;

  constructor(private readonly capacity: number) {}

  /** Takes `amount` and returns the function that gives it back (safe to call twice), or null when it is not there. */
  take(amount: number): (() => void) | null {
    if (this.used + amount > this.capacity) return null;
    this.used += amount;
    let returned = false;
    return () => {
      if (returned) return;
      returned = true;
      this.used -= amount;
    };
  }
}
