import { logFault, type FaultLog } from './public-error.js';

/**
 * Keeps a long-running host up through a fault no request handler caught (a throw in a timer or a stream callback,
 * a rejection nobody awaited): it is logged with an id, pending saves are written at once in case the next fault
 * is fatal, and serving goes on. Returns the function that removes the guard.
 */
export function guardProcess(log: FaultLog, flush: () => Promise<void>): () => void {
  let flushing: Promise<void> | null = null;
  const onFault = (kind: string) => (err: unknown) => {
    const id = logFault(log, kind, err);
    flushing ??= flush()
      .catch((flushErr: unknown) => void logFault(log, `saving after fault ${id}`, flushErr))
      .finally(() => (flushing = null));
  };
  const onException = onFault('uncaught exception');
  const onRejection = onFault('unhandled rejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
