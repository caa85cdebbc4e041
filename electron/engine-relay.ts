import { z } from 'zod';
import {
  ApiEventSchema,
  ApiReplySchema,
  RecentStudySchema,
  type ApiEvent,
  type ApiReply,
  type RecentStudy,
} from '../core/contract/index.js';
import type { JobProcess, LaunchJobProcess } from '../core/jobs/job-process.js';
import { EngineMessageSchema, type RelayMessage } from './engine-protocol.js';

/** The engine's process as main sees it, whatever started it (a utility process; a Node child in tests). */
export interface EngineLink {
  post(message: RelayMessage): void;
  listen(onMessage: (message: unknown) => void, onExit: (why: string) => void): void;
  kill(): void;
}

/** What main asks of the engine: all it needs to serve the page, the menus and the dialogs. */
export interface EngineRelay {
  /** A contract call from the page, answered as the engine's dispatcher answers it (errors as values). */
  call(method: unknown, params: unknown): Promise<ApiReply>;
  /** Allows a path the user picked or dropped; its real path, or null when it is none. */
  grant(path: unknown): Promise<string | null>;
  recentStudies(): Promise<RecentStudy[]>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** Stops jobs, writes pending saves, then ends the engine's process. */
  close(): Promise<void>;
}

type Request =
  { type: 'call'; method: unknown; params: unknown } | { type: 'grant'; path: unknown } | { type: 'recent' } | { type: 'close' };

/**
 * Main's half of the desktop app's engine: it forwards messages between the page and the engine's process and
 * starts the job processes the engine asks for. It reads no image and runs no engine code, so the window never
 * waits on the engine: replies are passed on as they are (their values unread; the page checks them).
 */
export function createEngineRelay(link: EngineLink, launchJob: LaunchJobProcess): EngineRelay {
  const pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  const jobs = new Map<number, JobProcess>();
  const listeners = new Set<(event: ApiEvent) => void>();
  let nextId = 1;
  let stopped: string | null = null;

  link.listen(
    (raw) => {
      const parsed = EngineMessageSchema.safeParse(raw);
      if (!parsed.success) return;
      const m = parsed.data;
      if (m.type === 'reply') {
        pending.get(m.id)?.resolve(m.value);
        pending.delete(m.id);
      } else if (m.type === 'event') {
        const event = ApiEventSchema.safeParse(m.event);
        if (event.success) for (const listener of [...listeners]) listener(event.data);
      } else if (m.type === 'job-launch') {
        const job = launchJob();
        jobs.set(m.ticket, job);
        job.listen(
          (message) => link.post({ type: 'job-message', ticket: m.ticket, message }),
          (why) => {
            jobs.delete(m.ticket);
            link.post({ type: 'job-end', ticket: m.ticket, why });
          },
        );
      } else if (m.type === 'job-send') jobs.get(m.ticket)?.send(m.message);
      else jobs.get(m.ticket)?.finished();
    },
    (why) => {
      stopped = `the engine stopped (${why})`;
      for (const { reject } of pending.values()) reject(new Error(stopped));
      pending.clear();
    },
  );

  async function request<T>(message: Request, answer: z.ZodType<T>): Promise<T> {
    if (stopped) throw new Error(stopped);
    const id = nextId++;
    const value = await new Promise<unknown>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      link.post({ ...message, id });
    });
    return answer.parse(value);
  }

  return {
    call: (method, params) =>
      request({ type: 'call', method, params }, ApiReplySchema).catch((err: unknown) => ({
        ok: false as const,
        error: { code: 'internal' as const, message: err instanceof Error ? err.message : String(err) },
      })),
    grant: (path) => request({ type: 'grant', path }, z.string().nullable()),
    recentStudies: () => request({ type: 'recent' }, z.array(RecentStudySchema)),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await request({ type: 'close' }, z.null()).catch(() => undefined);
      link.kill();
    },
  };
}
