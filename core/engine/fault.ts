import { ApiError, type ApiErrorBody } from '../contract/errors.js';
import { FileError } from '../util/io-error.js';

/** What the transport makes of a fault nobody threw on purpose (a bug, a failing library); see createDispatch. */
export type UnexpectedFault = (method: string, err: unknown) => ApiErrorBody;

/** The desktop app shows a fault as it is: its renderer is ours and the user owns the machine. */
const describeFault: UnexpectedFault = (_method, err) => ({
  code: 'internal',
  message: err instanceof Error ? err.message : `unexpected failure: ${String(err)}`,
});

export function toErrorBody(method: string, err: unknown, unexpected: UnexpectedFault = describeFault): ApiErrorBody {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  if (err instanceof FileError) return { code: 'internal', message: err.message };
  return unexpected(method, err);
}
