/** Learning rate at a 1-based step: linear warm-up, then cosine decay to `floor`·lr at `total` steps. */
export function learningRate(step: number, lr: number, warmup: number, total: number, floor = 0.1): number {
  if (warmup > 0 && step <= warmup) return (lr * step) / warmup;
  if (total <= warmup) return lr;
  const t = Math.min(1, (step - warmup) / (total - warmup));
  return lr * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * t)));
}
