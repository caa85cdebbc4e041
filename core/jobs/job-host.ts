import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HostMessage, JobOutcome, WorkerMessage } from './job-protocol.js';

export interface JobHandlers {
  onProgress?: (done: number, total: number, note?: string) => void;
  onEvent?: (event: unknown) => void;
}

export interface RunningJob<T> {
  outcome: Promise<JobOutcome<T>>;
  /** Asks the job to stop at its next safe point (a training job saves a checkpoint first). */
  cancel(): void;
}

const workerUrl = new URL(`./job-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** Runs a job kind in a child process; the caller's event loop never blocks on the engine. */
export function startJob<T>(kind: string, params: unknown, handlers: JobHandlers = {}): RunningJob<T> {
  // Running from TypeScript sources (tests, development) the child needs the same loader.
  const execArgv = workerUrl.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = fork(fileURLToPath(workerUrl), [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let cancelled = false;
  let settled: JobOutcome<T> | undefined;
  const outcome = new Promise<JobOutcome<T>>((resolve) => {
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') handlers.onProgress?.(m.done, m.total, m.note);
      else if (m.type === 'event') handlers.onEvent?.(m.event);
      else if (m.type === 'result') settled = cancelled ? { status: 'cancelled' } : { status: 'done', value: m.value as T };
      else settled = cancelled ? { status: 'cancelled' } : { status: 'failed', error: m.message };
    });
    child.on('exit', (code, signal) => {
      resolve(settled ?? (cancelled ? { status: 'cancelled' } : { status: 'failed', error: `job process ended unexpectedly (${signal ?? `exit ${code}`})` }));
    });
    child.on('error', (err) => resolve({ status: 'failed', error: `cannot start job process: ${err.message}` }));
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
