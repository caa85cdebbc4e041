import type { JobProgress } from '../contract/index.js';
import { startJob as startJobProcess, type JobHandlers, type RunningJob } from '../jobs/job-host.js';
import type { JobEvent, JobKind, JobParams, JobResult } from '../jobs/job-kinds.js';
import type { JobOutcome } from '../jobs/job-protocol.js';
import { ApiError } from '../contract/errors.js';
import type { ApiEvents } from './event-bus.js';

export interface JobSpec<K extends JobKind> {
  kind: K;
  params: JobParams<K>;
  studyId?: string;
  itemId?: string;
  /** What the job does, in words, while it waits and starts. */
  message: string;
  /** Events the job process sends (a predicted slice, a training step). */
  onEvent?: (event: JobEvent<K>) => void;
  /** Runs before the job counts as done (e.g. saving what it produced); a throw turns it into a failure. */
  onFinish?: (outcome: JobOutcome<JobResult<K>>) => Promise<string | void> | string | void;
}

export type StartJob = <K extends JobKind>(kind: K, params: JobParams<K>, handlers: JobHandlers<JobEvent<K>>) => RunningJob<JobResult<K>>;

/** How a job ended once its onFinish ran: the new state and its message. */
type Ending = Pick<JobProgress, 'state' | 'message'> & { progress?: number };

interface Started {
  cancel(): void;
  ended: Promise<Ending>;
}

/** A job as the queue keeps it: its kind's types are closed over by `launch` and `abandon`, so none are lost. */
interface Entry {
  progress: JobProgress;
  launch(onProgress: (done: number, total: number, note?: string) => void): Started;
  /** A job that never started still finishes: what its submitter set aside for it (pinned files) is let go. */
  abandon(): void;
  running: Started | null;
  lastEmit: number;
}

/** Progress events at most this often (a propagation reports every network run); state changes always go out. */
const EMIT_INTERVAL_MS = 100;
const MAX_KEPT = 50;

/**
 * The jobs of a session, run one at a time (each is a child process using every core), in the order asked for.
 * Every change goes out as a `job` event.
 */
export class JobQueue {
  private readonly jobs = new Map<string, Entry>();
  private nextId = 1;
  private active: Entry | null = null;

  constructor(
    private readonly events: ApiEvents,
    private readonly start: StartJob = startJobProcess,
  ) {}

  submit<K extends JobKind>(spec: JobSpec<K>): JobProgress {
    const jobId = `j${this.nextId++}`;
    const progress: JobProgress = {
      jobId,
      kind: spec.kind,
      state: 'queued',
      progress: 0,
      message: spec.message,
      ...(spec.studyId ? { studyId: spec.studyId } : {}),
      ...(spec.itemId ? { itemId: spec.itemId } : {}),
    };
    const entry: Entry = {
      progress,
      running: null,
      lastEmit: 0,
      launch: (onProgress) => {
        const running = this.start(spec.kind, spec.params, { onProgress, ...(spec.onEvent ? { onEvent: spec.onEvent } : {}) });
        return { cancel: () => running.cancel(), ended: running.outcome.then((outcome) => ending(outcome, spec.onFinish)) };
      },
      abandon: () =>
        void Promise.resolve()
          .then(() => spec.onFinish?.({ status: 'cancelled' }))
          .catch(() => undefined),
    };
    this.jobs.set(jobId, entry);
    this.forgetOld();
    this.emit(entry, true);
    this.pump();
    return { ...entry.progress };
  }

  list(): JobProgress[] {
    return [...this.jobs.values()].reverse().map((e) => ({ ...e.progress }));
  }

  /** The job of this kind on this item (no item: on the whole study) that is queued or running, if any. */
  pending(kind: string, studyId: string, itemId?: string): JobProgress | null {
    const entry = [...this.jobs.values()].find(
      (e) =>
        e.progress.kind === kind &&
        e.progress.studyId === studyId &&
        e.progress.itemId === itemId &&
        (e.progress.state === 'queued' || e.progress.state === 'running'),
    );
    return entry ? { ...entry.progress } : null;
  }

  cancel(jobId: string): JobProgress {
    const entry = this.jobs.get(jobId);
    if (!entry) throw new ApiError('not-found', `no job ${JSON.stringify(jobId)}`);
    if (entry.progress.state === 'queued') {
      this.update(entry, { state: 'cancelled', message: 'cancelled before it started' });
      entry.abandon();
    } else if (entry.progress.state === 'running') {
      entry.running?.cancel();
      this.update(entry, { message: 'stopping…' });
    }
    return { ...entry.progress };
  }

  /** Cancels everything and waits for running jobs to end (the server is closing). */
  async close(): Promise<void> {
    for (const entry of this.jobs.values()) {
      if (entry.progress.state !== 'queued') continue;
      entry.progress.state = 'cancelled';
      entry.abandon();
    }
    const running = this.active;
    if (running?.running) {
      running.running.cancel();
      await running.running.ended;
    }
  }

  private pump(): void {
    if (this.active) return;
    const next = [...this.jobs.values()].find((e) => e.progress.state === 'queued');
    if (!next) return;
    this.active = next;
    this.update(next, { state: 'running' });
    const running = next.launch((done, total, note) =>
      this.update(next, { progress: total > 0 ? Math.min(1, done / total) : 0, ...(note ? { message: note } : {}) }, false),
    );
    next.running = running;
    void running.ended.then((end) => {
      this.update(next, end);
      next.running = null;
      this.active = null;
      this.pump();
    });
  }

  private update(entry: Entry, change: Partial<JobProgress>, always = true): void {
    entry.progress = { ...entry.progress, ...change };
    this.emit(entry, always);
  }

  private emit(entry: Entry, always: boolean): void {
    const now = Date.now();
    if (!always && now - entry.lastEmit < EMIT_INTERVAL_MS) return;
    entry.lastEmit = now;
    this.events.emit({ type: 'job', job: { ...entry.progress } });
  }

  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter((e) => !['queued', 'running'].includes(e.progress.state));
    for (const e of finished.slice(0, Math.max(0, this.jobs.size - MAX_KEPT))) this.jobs.delete(e.progress.jobId);
  }
}

/** A job's outcome after its onFinish: a throw there fails the job, whatever the job itself did. */
async function ending<T>(
  outcome: JobOutcome<T>,
  onFinish: ((outcome: JobOutcome<T>) => Promise<string | void> | string | void) | undefined,
): Promise<Ending> {
  let message: string | undefined;
  try {
    message = (await onFinish?.(outcome)) ?? undefined;
  } catch (err) {
    return { state: 'failed', message: err instanceof Error ? err.message : String(err) };
  }
  if (outcome.status === 'done') return { state: 'done', progress: 1, message: message ?? 'done' };
  if (outcome.status === 'failed') return { state: 'failed', message: outcome.error };
  return { state: 'cancelled', message: message ?? 'cancelled' };
}
