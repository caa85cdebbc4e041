import { z } from 'zod';

/** Messages between a job host and its child process, checked on arrival (kinds' params, events and results by job-kinds.ts). */
export const HostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), kind: z.string(), params: z.unknown() }),
  z.object({ type: z.literal('cancel') }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

export const WorkerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), done: z.number(), total: z.number(), note: z.string().optional() }),
  z.object({ type: z.literal('event'), event: z.unknown() }),
  z.object({ type: z.literal('result'), value: z.unknown() }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type WorkerMessage = z.infer<typeof WorkerMessageSchema>;

/** How a job ended: errors and cancellation are values, never exceptions that escape the host. */
export type JobOutcome<T = unknown> = { status: 'done'; value: T } | { status: 'failed'; error: string } | { status: 'cancelled' };

/** What a job function gets: progress and event reporting, and the signal that cancels it. */
export interface JobContext<E = unknown> {
  signal: AbortSignal;
  progress(done: number, total: number, note?: string): void;
  event(event: E): void;
}
