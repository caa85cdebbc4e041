import type { HostMessage, JobOutcome, WorkerMessage } from './job-protocol.js';
import { forkJobProcess, type LaunchJobProcess } from './job-process.js';

export interface JobHandlers {
  onProgress?: (done: number, total: number, note?: string) => void;
  onEvent?: (event: unknown) => void;
}

export interface RunningJob<T> {
  outcome: Promise<JobOutcome<T>>;
  /** Asks the job to stop at its next safe point (a training job saves a checkpoint first). */
  cancel(): void;
}

/** Runs a job kind in a process of its own (by default a Node child); the caller's event loop never blocks on the engine. */
export function startJob<T>(kind: string, params: unknown, handlers: JobHandlers = {}, launch: LaunchJobProcess = forkJobProcess): RunningJob<T> {
  const child = launch();
  let cancelled = false;
  let settled: JobOutcome<T> | undefined;
  const outcome = new Promise<JobOutcome<T>>((resolve) => {
    child.listen(
      (m: WorkerMessage) => {
        if (m.type === 'progress') handlers.onProgress?.(m.done, m.total, m.note);
        else if (m.type === 'event') handlers.onEvent?.(m.event);
        else {
          if (m.type === 'result') settled = cancelled ? { status: 'cancelled' } : { status: 'done', value: m.value as T };
          else settled = cancelled ? { status: 'cancelled' } : { status: 'failed', error: m.message };
          child.finished();
        }
      },
      (why) => resolve(settled ?? (cancelled ? { status: 'cancelled' } : { status: 'failed', error: why })),
    );
  });
  child.send({ type: 'start', kind, params } satisfies HostMessage);
  return {
    outcome,
    cancel: () => {
      if (cancelled || !child.connected) return;
      cancelled = true;
      child.send({ type: 'cancel' } satisfies HostMessage);
    },
  };
}
