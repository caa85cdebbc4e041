/** Messages between a job host and its child process. */
export type HostMessage = { type: 'start'; kind: string; params: unknown } | { type: 'cancel' };

export type WorkerMessage =
  | { type: 'progress'; done: number; total: number; note?: string }
  | { type: 'event'; event: unknown }
  | { type: 'result'; value: unknown }
  | { type: 'error'; message: string };

/** How a job ended: errors and cancellation are values, never exceptions that escape the host. */
export type JobOutcome<T = unknown> =
  | { status: 'done'; value: T }
  | { status: 'failed'; error: string }
  | { status: 'cancelled' };

/** What a job function gets: progress and event reporting, and the signal that cancels it. */
export interface JobContext {
  signal: AbortSignal;
  progress(done: number, total: number, note?: string): void;
  event(event: unknown): void;
}
