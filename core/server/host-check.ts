import type { IncomingMessage } from 'node:http';

/** Why a request is refused before anything else is looked at: an HTTP status and a sentence for the client. */
export interface Refusal {
  status: number;
  message: string;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** The Host values we answer to: loopback names with our port (and without it on port 80, as browsers send it). */
function ourHosts(port: number): string[] {
  return LOOPBACK_NAMES.flatMap((name) => (port === 80 ? [name, `${name}:80`] : [`${name}:${port}`]));
}

/**
 * A page on another site can make a browser resolve its own name to 127.0.0.1 (DNS rebinding) and then talk to us
 * as same-origin; its requests still carry its own name as Host, so a Host that is not ours is refused.
 */
export function checkHost(req: IncomingMessage, port: number): Refusal | null {
  const host = (req.headers.host ?? '').toLowerCase();
  if (ourHosts(port).includes(host)) return null;
  return {
    status: 421,
    message: `Host ${JSON.stringify(req.headers.host ?? '')} is not this server: use http://127.0.0.1:${port}/ (through an SSH tunnel, forward the same port number)`,
  };
}

/**
 * Browsers send Origin on every cross-site POST and WebSocket; our own page sends ours, other clients (curl, the
 * CLI tests) none. Anything else is a foreign page riding on the user's browser.
 */
export function checkOrigin(req: IncomingMessage, port: number): Refusal | null {
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  if (ourHosts(port).some((host) => origin.toLowerCase() === `http://${host}`)) return null;
  return {
    status: 403,
    message: `requests from ${JSON.stringify(origin)} are not accepted: open the URL that \`universeg serve\` printed`,
  };
}
