import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { ApiError } from '../contract/errors.js';
import type { Refusal } from './host-check.js';

/**
 * A request's body, passed on only while it stays under `limit` bytes and arrives within `timeoutMs`. Past either,
 * the stream fails and `refusal` says why; the request itself is left paused, unread and undestroyed, so the host
 * can still answer before it closes the connection. A client that goes away mid-body fails it too.
 */
export class LimitedBody extends Transform {
  refusal: Refusal | null = null;
  private length = 0;

  constructor(
    private readonly req: IncomingMessage,
    private readonly limit: number,
    timeoutMs: number,
  ) {
    super();
    const timer = setTimeout(
      () => this.refuse({ status: 408, message: `the request body did not arrive within ${timeoutMs / 1000} s` }),
      timeoutMs,
    );
    this.once('close', () => clearTimeout(timer));
    // pipe() does not pass a source's failure on: without these the reader would wait for an end that never comes.
    req.once('error', () => this.refuse({ status: 400, message: 'the request was cut off' }));
    req.once('close', () => {
      if (!req.complete) this.refuse({ status: 400, message: 'the request was cut off' });
    });
    req.pipe(this);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null, data?: Buffer) => void): void {
    this.length += chunk.length;
    if (this.length > this.limit) {
      this.refuse({ status: 413, message: `the request body passes the limit of ${this.limit} bytes for this call` });
      return done();
    }
    done(null, chunk);
  }

  private refuse(refusal: Refusal): void {
    if (this.refusal || this.destroyed) return;
    this.refusal = refusal;
    this.req.unpipe(this);
    this.req.pause();
    // An ApiError, so that whoever was reading (an upload being stored) fails as a bad request, not as a bug.
    this.destroy(new ApiError('bad-request', refusal.message));
  }
}

/** The whole body in memory: only for bodies whose limit is small enough to hold (JSON calls, a label slice). */
export async function readLimitedBody(body: LimitedBody): Promise<Uint8Array> {
  const chunks: Buffer[] = await body.toArray();
  return Buffer.concat(chunks);
}
