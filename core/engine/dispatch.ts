import type { z } from 'zod';
import { apiContract, isApiMethod, type ApiHandlers, type ApiMethod, type ApiReply } from '../contract/index.js';
import { toErrorBody, type UnexpectedFault } from './fault.js';

/** One entry point for every transport: untrusted (method, params) in, an ApiReply out; never throws. */
export type Dispatch = (method: unknown, params: unknown) => Promise<ApiReply>;

/** `unexpected` turns a bug into what the caller sees; by default, its message. */
export function createDispatch(handlers: ApiHandlers, unexpected?: UnexpectedFault): Dispatch {
  return async (method, params) => {
    if (!isApiMethod(method)) {
      return { ok: false, error: { code: 'not-found', message: `unknown method ${JSON.stringify(method)}` } };
    }
    const spec = apiContract[method];
    const parsed = spec.params.safeParse(params ?? {});
    if (!parsed.success) {
      return { ok: false, error: { code: 'bad-request', message: `${method}: ${describeIssues(parsed.error)}` } };
    }
    const handler = handlers[method] as (p: unknown) => Promise<unknown>;
    return settle(method, () => handler(parsed.data), unexpected);
  };
}

/**
 * A method's outcome as a reply: its result checked against the contract, or its failure as an error body. For a
 * transport that runs a method its own way (the HTTP host streams uploads to disk) as much as for the dispatch.
 */
export async function settle(method: ApiMethod, run: () => Promise<unknown>, unexpected?: UnexpectedFault): Promise<ApiReply> {
  try {
    const value = await run();
    // A result that breaks the contract is our bug; catching it here keeps the UI from rendering garbage.
    const checked = apiContract[method].result.safeParse(value);
    if (!checked.success) {
      return { ok: false, error: toErrorBody(method, new Error(`${method} returned ${describeIssues(checked.error)}`), unexpected) };
    }
    return { ok: true, value: checked.data };
  } catch (err) {
    return { ok: false, error: toErrorBody(method, err, unexpected) };
  }
}

/** "index: expected int, received number; axis: expected one of 0, 1, 2" — one line, every problem, each with its field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      return `${where}${issueMessage(issue)}`;
    })
    .join('; ');
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') {
    const values = issue.values.map((v) => JSON.stringify(v));
    return values.length === 1 ? `expected ${values[0]}` : `expected one of ${values.join(', ')}`;
  }
  if (issue.code === 'unrecognized_keys') return `unknown parameter ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  return issue.message.replace(/^Invalid input: /, '').replace(/^Too (small|big): /, '');
}
