/**
 * Ctrl-C once asks the running work to stop at a safe point (saying what will happen); a second Ctrl-C quits at
 * once. Call dispose when the work is over.
 */
export function onInterrupt(whatHappens: string): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) process.exit(130);
    console.error(`\n${whatHappens} (Ctrl-C again to quit now)`);
    controller.abort();
  };
  process.on('SIGINT', handler);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', handler) };
}
