import type { ApiErrorBody, ApiErrorCode } from '../api.js';

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

export function toErrorBody(err: unknown): ApiErrorBody {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : `unexpected failure: ${String(err)}`;
  return { code: 'internal', message };
}
