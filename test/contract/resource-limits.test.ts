import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encodeBody, FRAME_TYPE } from '../../core/contract/codec.js';
import { startServer, type RunningServer } from '../../core/cli/serve.js';
import { createEventBus } from '../../core/engine/event-bus.js';
import { createHttpHost } from '../../core/server/http-host.js';
import { DEFAULT_LIMITS, type HostLimits } from '../../core/server/limits.js';
import { FIXTURES, TEST_MODEL } from './harness.js';
import { dribble, postHead, pumpBody, rawRequest } from './raw-http.js';

const base = mkdtempSync(path.join(tmpdir(), 'universeg-limits-'));
const root = path.join(base, 'studies');
cpSync(FIXTURES, root, { recursive: true });
after(() => rmSync(base, { recursive: true, force: true }));

function serve(limits: Partial<HostLimits> = {}): Promise<RunningServer> {
  return startServer({
    port: 0,
    root,
    staticDir: null,
    recentFile: path.join(base, 'recent.json'),
    modelPath: TEST_MODEL,
    limits,
    log: () => undefined,
  });
}

const MiB = 1 << 20;
const auth = (s: RunningServer) => ({ Authorization: `Bearer ${s.token}` });
const alive = async (s: RunningServer) =>
  assert.equal((await fetch(`http://127.0.0.1:${s.port}/api/health`, { headers: auth(s) })).status, 200);
/** This process's upload folders (universeg-upload-<pid>-…) in the temp folder. */
const uploadFolders = () => readdirSync(tmpdir()).filter((name) => name.startsWith(`universeg-upload-${process.pid}-`));

describe('with the default limits', () => {
  let s: RunningServer;
  before(async () => (s = await serve()));
  after(() => s.close());

  test('a JSON call declaring 200 MB is refused with 413 before its body is read', async () => {
    const head = postHead(s.port, 'openStudy', { ...auth(s), 'Content-Type': 'application/json', 'Content-Length': 200 * MiB });
    const answer = await pumpBody(s.port, head, Buffer.alloc(MiB, 0x20), 200 * MiB);
    assert.equal(answer.status, 413, answer.statusLine);
    assert.match(answer.body, /openStudy: a body of 209715200 bytes passes the limit of 1048576/);
    // Loopback socket buffers take a few MiB; the old host read (and discarded) all 200.
    assert.ok(answer.written < 32 * MiB, `the server read ${answer.written} bytes`);
    await alive(s);
  });

  test('a chunked JSON body is cut off once it passes 1 MiB', async () => {
    const head = postHead(s.port, 'openStudy', { ...auth(s), 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    const chunk = Buffer.concat([Buffer.from(`${(MiB / 4).toString(16)}\r\n`), Buffer.alloc(MiB / 4, 0x20), Buffer.from('\r\n')]);
    const answer = await pumpBody(s.port, head, chunk, 200 * MiB);
    assert.equal(answer.status, 413, answer.statusLine);
    assert.ok(answer.written < 32 * MiB, `the server read ${answer.written} bytes`);
    await alive(s);
  });

  test('setLabelSlice, whose frame carries a slice, may be larger than a JSON call', async () => {
    const slice = { width: 2048, height: 1024, data: new Uint8Array(2048 * 1024) };
    const { contentType, body } = encodeBody({ studyId: 's1', itemId: 'x', axis: 2, index: 0, slice });
    const call = (method: string) =>
      fetch(`http://127.0.0.1:${s.port}/api/${method}`, { method: 'POST', headers: { ...auth(s), 'Content-Type': contentType }, body });
    assert.equal((await call('setSegments')).status, 413, 'a 2 MiB body to a plain JSON method');
    const response = await call('setLabelSlice');
    assert.equal(response.status, 404, 'read and dispatched: there is no study s1');
    assert.match(((await response.json()) as { error: { message: string } }).error.message, /^no open study "s1"/);
  });

  test('the server carries the timeouts and the connection cap', () => {
    const { server } = createHttpHost({
      dispatch: async () => ({ ok: true, value: {} }),
      events: createEventBus(),
      token: 't',
      staticDir: null,
      receiveUpload: async () => ({ ok: true, value: {} }),
      userFolders: [],
    });
    assert.equal(server.headersTimeout, 10_000);
    assert.equal(server.requestTimeout, DEFAULT_LIMITS.requestTimeoutMs);
    assert.equal(server.keepAliveTimeout, 5_000);
    assert.equal(server.maxConnections, 64);
    assert.ok(server.listenerCount('error') > 0, 'a failing accept is logged, not fatal');
  });

  test('an upload goes to disk as it streams, not into memory', async () => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    const size = 160 * MiB;
    const image = new Uint8Array(readFileSync(path.join(root, 'anatomical.nii')));
    // The frame of {anatomical.nii, big.raw} up to where big.raw's bytes start; those are then sent a MiB at a time.
    const header = new TextEncoder().encode(
      JSON.stringify({
        value: {
          name: 'big',
          files: [
            { path: 'anatomical.nii', data: { $array: 0 } },
            { path: 'big.raw', data: { $array: 1 } },
          ],
        },
        arrays: [
          { type: 'Uint8Array', byteLength: image.length },
          { type: 'Uint8Array', byteLength: size },
        ],
      }),
    );
    const align8 = (n: number) => (n + 7) & ~7;
    const imageAt = align8(8 + header.length);
    const prefix = Buffer.alloc(align8(imageAt + image.length));
    prefix.write('USG1', 0, 'latin1');
    prefix.writeUInt32LE(header.length, 4);
    prefix.set(header, 8);
    prefix.set(image, imageAt);
    const head = postHead(s.port, 'uploadStudy', {
      ...auth(s),
      'Content-Type': FRAME_TYPE,
      'Content-Length': prefix.length + size,
      Connection: 'close',
    });
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const answer = await pumpBody(s.port, Buffer.concat([Buffer.from(head, 'latin1'), prefix]), Buffer.alloc(MiB, 7), size, 60_000);
    clearInterval(sampler);
    assert.equal(answer.status, 200, `${answer.statusLine} ${answer.body.slice(0, 300)}`);
    const study = JSON.parse(answer.body) as { name: string; items: { name: string }[] };
    assert.deepEqual(
      study.items.map((i) => i.name),
      ['anatomical.nii'],
    );
    // The old host held the body, its chunks and the decoded copy: three times the upload.
    assert.ok(peak - before < 100 * MiB, `RSS grew by ${((peak - before) / MiB).toFixed(0)} MiB for a ${size / MiB} MiB upload`);
  });
});

describe('with small limits', () => {
  let s: RunningServer;
  before(async () => {
    s = await serve({
      headersTimeoutMs: 1000,
      bodyTimeoutMs: 1000,
      maxConnections: 4,
      inFlightBodyBytes: 2 * MiB,
      concurrentUploads: 1,
      uploadBodyBytes: 64 * 1024,
    });
  });
  after(() => s.close());

  test('a client sending its headers a byte at a time is dropped within seconds', async () => {
    const answer = await dribble(
      s.port,
      `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nX-Slow: ${'a'.repeat(200)}\r\n\r\n`,
      200,
    );
    assert.ok(answer.closedAfterMs < 4000, `closed after ${answer.closedAfterMs} ms`);
    assert.match(answer.statusLine, /^(HTTP\/1\.1 408 .*|)$/);
  });

  test('a client without the token is answered and hung up on at once, however slowly it sends its body', async () => {
    const answer = await rawRequest(
      s.port,
      postHead(s.port, 'openStudy', { 'Content-Type': 'application/json', 'Content-Length': 1000 }) + '{"pa',
      10_000,
    );
    assert.equal(answer.status, 401);
    assert.ok(answer.closedAfterMs < 2000, `closed after ${answer.closedAfterMs} ms`);
  });

  test('a body that stops arriving gets 408', async () => {
    const answer = await rawRequest(
      s.port,
      postHead(s.port, 'openStudy', { ...auth(s), 'Content-Type': 'application/json', 'Content-Length': 1000 }) + '{"pa',
      10_000,
    );
    assert.equal(answer.status, 408, answer.statusLine);
    assert.ok(answer.closedAfterMs < 3000, `closed after ${answer.closedAfterMs} ms`);
  });

  test('past the connection cap a new connection is closed unanswered, and served again once others leave', async () => {
    const idle = await Promise.all(
      [0, 1, 2, 3].map(
        () =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect(s.port, '127.0.0.1', () => resolve(socket));
            socket.on('error', () => undefined);
          }),
      ),
    );
    const extra = await rawRequest(
      s.port,
      `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nAuthorization: Bearer ${s.token}\r\n\r\n`,
    );
    assert.equal(extra.statusLine, '');
    for (const socket of idle) socket.destroy();
    await new Promise((r) => setTimeout(r, 100));
    await alive(s);
  });

  test('bodies held in memory at once are bounded: one more gets 503', async () => {
    const holders = [0, 1].map(() => {
      const socket = net.connect(s.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write(postHead(s.port, 'openStudy', { ...auth(s), 'Content-Type': 'application/json', 'Content-Length': MiB }) + '{');
      return socket;
    });
    await new Promise((r) => setTimeout(r, 200));
    const response = await fetch(`http://127.0.0.1:${s.port}/api/listDirectory`, {
      method: 'POST',
      headers: { ...auth(s), 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '1');
    for (const socket of holders) socket.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const later = await fetch(`http://127.0.0.1:${s.port}/api/listDirectory`, {
      method: 'POST',
      headers: { ...auth(s), 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(later.status, 200);
  });

  test('uploads have their own limit and run one at a time here; a refused one leaves nothing on disk', async () => {
    const folders = uploadFolders();
    const labels = new Uint8Array(readFileSync(path.join(root, 'anatomical_labels.nii.gz')));
    const frame = (size: number) =>
      encodeBody({ name: 'drop', files: [{ path: 'labels.nii.gz', data: size === labels.length ? labels : new Uint8Array(size) }] });
    const upload = (size: number) =>
      fetch(`http://127.0.0.1:${s.port}/api/uploadStudy`, {
        method: 'POST',
        headers: { ...auth(s), 'Content-Type': FRAME_TYPE },
        body: frame(size).body,
      });
    assert.equal((await upload(labels.length)).status, 200);
    assert.equal((await upload(100 * 1024)).status, 413, 'declared over the limit');

    const chunked = postHead(s.port, 'uploadStudy', { ...auth(s), 'Content-Type': FRAME_TYPE, 'Transfer-Encoding': 'chunked' });
    const body = frame(200 * 1024).body;
    const answer = await pumpBody(
      s.port,
      chunked,
      Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]),
      body.length + 20,
    );
    assert.equal(answer.status, 413, 'streamed over the limit');

    const slow = net.connect(s.port, '127.0.0.1');
    slow.on('error', () => undefined);
    slow.write(postHead(s.port, 'uploadStudy', { ...auth(s), 'Content-Type': FRAME_TYPE, 'Content-Length': 1000 }) + 'USG1');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await upload(labels.length)).status, 503, 'a second upload while one is under way');
    slow.destroy();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(uploadFolders().length, folders.length + 1, 'the one stored upload, no staging folder left behind');
  });
});
