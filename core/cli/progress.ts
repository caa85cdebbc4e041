/** A one-line progress bar on a terminal; silent when stderr is not a TTY (logs, pipes, CI). */
export class ProgressBar {
  private readonly enabled = Boolean(process.stderr.isTTY);
  private lastDraw = 0;

  constructor(private readonly label: string) {}

  update(done: number, total: number, note = ''): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (done < total && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const width = 30;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(frac * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    process.stderr.write(`\r${this.label} ${bar} ${done}/${total} ${note}`.padEnd(100).slice(0, 120));
  }

  done(): void {
    if (this.enabled) process.stderr.write('\n');
  }
}
