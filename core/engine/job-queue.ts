import type { JobProgress } from '../contract/index.js';
import { startJob as startJobProcess, type RunningJob } from '../jobs/job-host.js';
import type { JobOutcome } from '../jobs/job-protocol.js';
import { ApiError } from '../contract/errors.js';
import type { ApiEvents } from './event-bus.js';

export interface JobSpec {
  kind: string;
  params: unknown;
  studyId?: string;
  itemId?: string;
  /** What the job does, in words, while it waits and starts. */
  message: string;
  /** Events the job process sends (a predicted slice, a training step). */
  onEvent?: (event: unknown) => void;
  /** Runs before the job counts as done (e.g. saving what it produced); a throw turns it into a failure. */
  onFinish?: (outcome: JobOutcome) => Promise<string | void> | string | void;
}

type StartJob = (kind: string, params: unknown, handlers: Parameters<typeof startJobProcess>[2]) => RunningJob<unknown>;

interface Entry {
  spec: JobSpec;
  progress: JobProgress;
  running: RunningJob<unknown> | null;
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

  submit(spec: JobSpec): JobProgress {
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
    const entry: Entry = { spec, progress, running: null, lastEmit: 0 };
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
      (e) => e.progress.kind === kind && e.progress.studyId === studyId && e.progress.itemId === itemId && (e.progress.state === 'queued' || e.progress.state === 'running'),
    );
    return entry ? { ...entry.progress } : null;
  }

  cancel(jobId: string): JobProgress {
    const entry = this.jobs.get(jobId);
    if (!entry) throw new ApiError('not-found', `no job ${JSON.stringify(jobId)}`);
    if (entry.progress.state === 'queued') {
      this.update(entry, { state: 'cancelled', message: 'cancelled before it started' });
      this.abandoned(entry);
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
      this.abandoned(entry);
    }
    const running = this.active;
    if (running?.running) {
      running.running.cancel();
      await running.running.outcome;
    }
  }

  /** A job that never started still finishes: what its submitter set aside for it (pinned files) is let go. */
  private abandoned(entry: Entry): void {
    void Promise.resolve()
      .then(() => entry.spec.onFinish?.({ status: 'cancelled' }))
      .catch(() => undefined);
  }

  private pump(): void {
    if (this.active) return;
    const next = [...this.jobs.values()].find((e) => e.progress.state === 'queued');
    if (!next) return;
    this.active = next;
    this.update(next, { state: 'running' });
    const running = this.start(next.spec.kind, next.spec.params, {
      onProgress: (done, total, note) => this.update(next, { progress: total > 0 ? Math.min(1, done / total) : 0, ...(note ? { message: note } : {}) }, false),
      onEvent: (event) => next.spec.onEvent?.(event),
    });
    next.running = running;
    void running.outcome.then(async (outcome) => {
      let message: string | undefined;
      let failure: string | undefined;
      try {
        message = (await next.spec.onFinish?.(outcome)) ?? undefined;
      } catch (err) {
        failure = err instanceof Error ? err.message : String(err);
      }
      if (failure !== undefined) this.update(next, { state: 'failed', message: failure });
      else if (outcome.status === 'done') this.update(next, { state: 'done', progress: 1, message: message ?? 'done' });
      else if (outcome.status === 'failed') this.update(next, { state: 'failed', message: outcome.error });
      else this.update(next, { state: 'cancelled', message: message ?? 'cancelled' });
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
