import type { IncomingMessage } from 'node:http';

/**
 * The request's URL, or undefined when its target does not parse (`//`, say): the WHATWG parser throws on it, and
 * a throw in an upgrade handler would end the process.
 */
export function requestUrl(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}
