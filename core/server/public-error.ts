import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import {
  apiContract,
  isApiMethod,
  JobProgressSchema,
  type ApiErrorBody,
  type ApiEvent,
  type ApiReply,
  type JobProgress,
} from '../contract/index.js';
import type { UnexpectedFault } from '../engine/fault.js';

/** Where the host writes what a client must not see; stderr in `universeg serve`. */
export type FaultLog = (line: string) => void;

/**
 * A fault nobody threw on purpose reaches the client as a short id; the log gets the id with the whole story, so a
 * user who reports the id can be helped, while the reply says nothing about the machine (paths, library internals).
 */
export function logFault(log: FaultLog, where: string, err: unknown): string {
  const id = randomBytes(4).toString('hex');
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  log(`[fault ${id}] ${where}: ${detail}`);
  return id;
}

export function genericFault(id: string): ApiErrorBody {
  return { code: 'internal', message: `unexpected server error (id ${id}); the server's log has the detail` };
}

export function unexpectedFault(log: FaultLog): UnexpectedFault {
  return (method, err) => genericFault(logFault(log, method, err));
}

// Longest first, so the alternation below takes the whole of a nested one.
const TEMP_ROOTS = [...new Set([tmpdir(), realpathSync(tmpdir())])].sort((a, b) => b.length - a.length);
// A path runs until whitespace, a quote, a colon (ioError's "file: problem") or a closing bracket.
// The lookahead keeps /tmp from matching the start of /tmpfiles.
const PATH_TAIL = String.raw`(?:[\\/][^\s"'\`:;,()\[\]]*)?(?![\w.-])`;
const TEMP_PATH = new RegExp(TEMP_ROOTS.map((dir) => escapeRegExp(dir) + PATH_TAIL).join('|'), 'g');
const UPLOAD_FOLDER = /^universeg-upload-[^\\/]+[\\/]?/;
// itk-wasm's release build throws a bare pointer to a C++ exception; the number means nothing to anyone.
const ITK_POINTER = /(itk-wasm exception) \d+/g;

/**
 * A message meant for the user (an ApiError's, a FileError's) with what only the machine knows taken out: temporary
 * paths become the name the user gave (an upload's dropped name) or "a temporary file", itk-wasm pointer numbers
 * go. Paths under `roots` (the user's own folder, as given and real) stay as they are, even inside the temp folder.
 */
export function scrubMessage(message: string, roots: readonly string[]): string {
  return message.replace(ITK_POINTER, '$1').replace(TEMP_PATH, (found) => {
    if (roots.some((root) => found === root || found.startsWith(root + path.sep))) return found;
    const inside = found.slice(TEMP_ROOTS.find((dir) => found.startsWith(dir))!.length + 1);
    const upload = UPLOAD_FOLDER.exec(inside);
    if (upload) return inside.slice(upload[0].length) || 'the uploaded files';
    return 'a temporary file';
  });
}

export function publicError(error: ApiErrorBody, roots: readonly string[]): ApiErrorBody {
  return { code: error.code, message: scrubMessage(error.message, roots) };
}

/** A job as a browser client sees it: its message (a failure's is the worker's error) scrubbed like an error reply's. */
export function publicJob(job: JobProgress, roots: readonly string[]): JobProgress {
  return job.message === undefined ? job : { ...job, message: scrubMessage(job.message, roots) };
}

/** What the event socket sends a browser client: job messages scrubbed; projects and loss steps as they are. */
export function publicEvent(event: ApiEvent, roots: readonly string[]): ApiEvent {
  return event.type === 'job' ? { ...event, job: publicJob(event.job, roots) } : event;
}

/**
 * A successful reply as a browser client sees it: the jobs a method answers with (listJobs, cancelJob, the ones that
 * start a job) scrubbed, so a failed job's message says no more in a reply than on the event socket.
 */
export function publicReply(method: string, reply: ApiReply, roots: readonly string[]): ApiReply {
  if (!reply.ok || !isApiMethod(method)) return reply;
  const result: z.ZodType = apiContract[method].result;
  if (result === JobProgressSchema) return { ok: true, value: publicJob(JobProgressSchema.parse(reply.value), roots) };
  if (result instanceof z.ZodArray && result.element === JobProgressSchema) {
    return {
      ok: true,
      value: z
        .array(JobProgressSchema)
        .parse(reply.value)
        .map((job) => publicJob(job, roots)),
    };
  }
  return reply;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
