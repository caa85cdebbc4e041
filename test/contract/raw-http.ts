/**
 * HTTP as a hostile client speaks it: raw bytes on a socket to 127.0.0.1, with whatever headers, lengths and
 * pauses a test wants, and the answer as it came (status line, headers, body) or nothing when the server hung up.
 */
import net from 'node:net';

export interface RawAnswer {
  /** "HTTP/1.1 413 Payload Too Large", or '' when the socket closed without an answer. */
  statusLine: string;
  status: number;
  head: string;
  body: string;
  /** Milliseconds from connecting to the socket closing. */
  closedAfterMs: number;
}

function parse(answer: string, startedAt: number): RawAnswer {
  const split = answer.indexOf('\r\n\r\n');
  const head = split < 0 ? answer : answer.slice(0, split);
  const statusLine = head.split('\r\n')[0] ?? '';
  return {
    statusLine,
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0),
    head,
    body: split < 0 ? '' : answer.slice(split + 4),
    closedAfterMs: Date.now() - startedAt,
  };
}

/** Sends `request` and waits for the server to close the socket (or `timeoutMs`, after which this side closes it). */
export function rawRequest(port: number, request: string | Buffer, timeoutMs = 5000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const startedAt = Date.now();
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.on('data', (d) => (answer += String(d)));
    socket.on('close', () => resolve(parse(answer, startedAt)));
    socket.on('error', () => undefined);
    socket.setTimeout(timeoutMs, () => socket.destroy());
  });
}

/**
 * Sends `head`, then `chunk` again and again (waiting whenever the socket is full) until `total` bytes of body are
 * written or the server answers or hangs up. Returns the answer and how many body bytes the socket took.
 */
export function pumpBody(
  port: number,
  head: string | Buffer,
  chunk: Buffer,
  total: number,
  timeoutMs = 20_000,
): Promise<RawAnswer & { written: number }> {
  return new Promise((resolve) => {
    const startedAt = Date.now();
    let answer = '';
    let written = 0;
    let done = false;
    const socket = net.connect(port, '127.0.0.1', async () => {
      socket.write(head);
      while (!done && written < total) {
        const piece = chunk.subarray(0, Math.min(chunk.length, total - written));
        written += piece.length;
        // Should the server hang up instead, this waits forever, harmlessly: 'close' has resolved us already.
        if (!socket.write(piece)) await new Promise((r) => socket.once('drain', r));
        // An answer means the server will read no more: stop as a real client would.
        if (answer) break;
      }
    });
    socket.on('data', (d) => (answer += String(d)));
    socket.on('close', () => {
      done = true;
      resolve({ ...parse(answer, startedAt), written });
    });
    socket.on('error', () => undefined);
    socket.setTimeout(timeoutMs, () => socket.destroy());
  });
}

/** Writes `text` one byte at a time, `pauseMs` apart, as long as the socket stays open; resolves when it closes. */
export function dribble(port: number, text: string, pauseMs: number): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const startedAt = Date.now();
    let answer = '';
    let at = 0;
    const socket = net.connect(port, '127.0.0.1');
    const timer = setInterval(() => {
      if (at < text.length && !socket.destroyed) socket.write(text[at++]!);
    }, pauseMs);
    socket.on('data', (d) => (answer += String(d)));
    socket.on('close', () => {
      clearInterval(timer);
      resolve(parse(answer, startedAt));
    });
    socket.on('error', () => undefined);
    socket.setTimeout(60_000, () => socket.destroy());
  });
}

/** Request head for a POST to /api/<method> with our Host and whatever else is given. */
export function postHead(port: number, method: string, headers: Record<string, string | number>): string {
  const lines = Object.entries({ Host: `127.0.0.1:${port}`, ...headers }).map(([k, v]) => `${k}: ${v}\r\n`);
  return `POST /api/${method} HTTP/1.1\r\n${lines.join('')}\r\n`;
}
