import type { ApiClient, ApiErrorCode, ApiMethod, ApiParams, ApiResult } from '../../../core/contract/index.js';
import { parseResult } from '../../../core/contract/methods.js';
import type { Transport } from './transport.js';

/** A failed call, with the engine's own words: they are written for the user. */
export class ApiCallError extends Error {
  constructor(
    readonly method: ApiMethod,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

export async function callApi<M extends ApiMethod>(transport: Transport, method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
  const reply = await transport.call(method, params);
  if (!reply.ok) throw new ApiCallError(method, reply.error.code, reply.error.message);
  return parseResult(method, reply.value);
}

/** `api.getSlice({...})` for every contract method: the engine validates the params, callApi checks the result. */
export function createApiClient(transport: Transport): ApiClient {
  return new Proxy({} as ApiClient, {
    // Not a thenable: `await api` or returning it from an async function must not call a method named "then".
    get: (_target, method) =>
      typeof method !== 'string' || method === 'then'
        ? undefined
        : (params: unknown) => callApi(transport, method as ApiMethod, params as never),
  });
}
