import { z } from 'zod';

/**
 * Why a call failed, in words a user can act on. `code` maps onto HTTP statuses; over IPC it travels as is.
 * bad-request: the parameters are wrong; forbidden: a path outside the allowed root; not-found: no such study,
 * item or file; unauthorized: missing token (HTTP only); internal: a bug or an unreadable file.
 */
export const ApiErrorCodeSchema = z.enum(['bad-request', 'forbidden', 'not-found', 'unauthorized', 'internal']);
export type ApiErrorCode = z.infer<typeof ApiErrorCodeSchema>;
export const ApiErrorBodySchema = z.object({ code: ApiErrorCodeSchema, message: z.string() });
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

/** A call's outcome as a value, so it crosses IPC and HTTP unchanged (thrown errors lose their fields over IPC). */
export type ApiReply<T = unknown> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

/** An ApiReply's envelope; its value is checked against the method's result where it is used (parseResult). */
export const ApiReplySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiErrorBodySchema }),
]);

/** An error a handler throws on purpose: its message is meant for the user, its code for the transport. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
