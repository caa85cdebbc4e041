import { z } from 'zod';
import { jobKinds, type JobEvent, type JobKind, type JobParams, type JobResult } from './job-kinds.js';
import { WorkerMessageSchema, type HostMessage, type JobOutcome } from './job-protocol.js';
import { forkJobProcess, type LaunchJobProcess } from './job-process.js';

export interface JobHandlers<E = unknown> {
  onProgress?: (done: number, total: number, note?: string) => void;
  onEvent?: (event: E) => void;
}

export interface RunningJob<T> {
  outcome: Promise<JobOutcome<T>>;
  /** Asks the job to stop at its next safe point (a training job saves a checkpoint first). */
  cancel(): void;
}

/**
 * Runs a job kind in a process of its own (by default a Node child); the caller's event loop never blocks on the
 * engine. Every message from the child is checked against the kind's schemas: one that does not fit is a bug in
 * the job, and fails it rather than reaching the caller.
 */
export function startJob<K extends JobKind>(
  kind: K,
  params: JobParams<K>,
  handlers: JobHandlers<JobEvent<K>> = {},
  launch: LaunchJobProcess = forkJobProcess,
): RunningJob<JobResult<K>> {
  const spec = jobKinds[kind];
  const child = launch();
  let cancelled = false;
  let settled: JobOutcome<JobResult<K>> | undefined;
  const end = (outcome: JobOutcome<JobResult<K>>) => {
    settled ??= cancelled ? { status: 'cancelled' } : outcome;
    child.finished();
  };
  const outcome = new Promise<JobOutcome<JobResult<K>>>((resolve) => {
    child.listen(
      (raw) => {
        if (settled) return;
        const m = WorkerMessageSchema.safeParse(raw);
        if (!m.success) return end(malformed(kind, 'message', m.error));
        if (m.data.type === 'progress') handlers.onProgress?.(m.data.done, m.data.total, m.data.note);
        else if (m.data.type === 'event') {
          const event = spec.event.safeParse(m.data.event);
          if (event.success) return handlers.onEvent?.(event.data);
          end(malformed(kind, 'event', event.error));
          // Its work is lost on us now: stop it rather than let it run to the end.
          if (child.connected) child.send({ type: 'cancel' } satisfies HostMessage);
        } else if (m.data.type === 'result') {
          const value = spec.result.safeParse(m.data.value);
          end(value.success ? { status: 'done', value: value.data } : malformed(kind, 'result', value.error));
        } else end({ status: 'failed', error: m.data.message });
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

function malformed(kind: JobKind, what: string, error: z.ZodError): JobOutcome<never> {
  return { status: 'failed', error: `job '${kind}' sent a malformed ${what}: ${z.prettifyError(error)}` };
}
