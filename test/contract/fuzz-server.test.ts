/**
 * Five hundred hostile requests to the real host on 127.0.0.1: random methods, targets, Host and Origin headers,
 * tokens, content types, lengths that lie, bodies that are junk, half a frame or random params for real methods,
 * WebSocket upgrades followed by junk. Whatever comes, the host must stay up, answer malformed input with a 4xx (or
 * not at all), log no fault, never serve a foreign Host or Origin or a client without the token, and never show a
 * temp path; it must still answer /api/health afterwards.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { apiMethods } from '../../core/contract/index.js';
import { encodeBody, FRAME_TYPE, JSON_TYPE } from '../../core/contract/codec.js';
import { startServer, type RunningServer } from '../../core/cli/serve.js';
import { FIXTURES, TEST_MODEL } from './harness.js';

const base = mkdtempSync(path.join(tmpdir(), 'universeg-fuzz-'));
const root = path.join(base, 'studies');
let s: RunningServer;
const faults: string[] = [];
before(async () => {
  cpSync(FIXTURES, root, { recursive: true });
  s = await startServer({
    port: 0,
    root,
    staticDir: null,
    recentFile: path.join(base, 'recent.json'),
    modelPath: TEST_MODEL,
    log: (line) => void faults.push(line),
  });
});
after(async () => {
  await s.close();
  rmSync(base, { recursive: true, force: true });
});

interface Hostile {
  method: string;
  target: string;
  host: string | null;
  origin: string | null;
  token: 'right' | 'wrong' | 'none' | 'query';
  contentType: string | null;
  body: Uint8Array;
  /** How Content-Length relates to the bytes sent: a lie either way, absent, or not a number. */
  length: 'exact' | 'short' | 'long' | 'none' | 'junk';
  upgrade: 'none' | 'websocket' | 'junk-key';
}

const ids = fc.constantFrom('s1', 's2', 'anatomical.nii', 'x', '..', '', 'j1', '__proto__');
const param = fc.oneof(
  ids,
  fc.integer({ min: -3, max: 40 }),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom('.', '../outside', '/etc', 'stack2d', 'escape/private.nii'),
);
const params = fc.dictionary(
  fc.constantFrom('path', 'studyId', 'itemId', 'axis', 'index', 'name', 'jobId', 'status', 'segments', 'slice', 'files', 'extra'),
  param,
  { maxKeys: 5 },
);
const frame = fc.record({
  name: fc.string({ maxLength: 20 }),
  files: fc.array(fc.record({ path: fc.string({ maxLength: 30 }), data: fc.uint8Array({ maxLength: 64 }) }), { maxLength: 3 }),
});

const hostile: fc.Arbitrary<Hostile> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'POST', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'FOO'),
  target: fc.oneof(
    { arbitrary: fc.constantFrom(...apiMethods).map((m) => `/api/${m}`), weight: 5 },
    { arbitrary: fc.constantFrom('/api/health', '/api/listDirectory', '/api/recentStudies', '/api/listJobs'), weight: 3 },
    fc.constantFrom(
      '/',
      '//',
      '/api/',
      '/api/events',
      '/api/health',
      '/index.html',
      '/../../etc/passwd',
      '/%2e%2e/%ff',
      '/api/%00',
      '/api/constructor',
      '/api/__proto__',
    ),
    fc.webPath().map((p) => `/api/${p.replace(/^\//, '')}`),
    fc.webPath(),
  ),
  // Mostly what our own page sends, so that most requests get past the checks to the methods behind them.
  host: fc.oneof(
    { arbitrary: fc.constant('ours'), weight: 8 },
    fc.constantFrom('evil.example', '127.0.0.1', 'localhost:1', '', '[::1]'),
    fc.string({ maxLength: 20 }).filter((h) => !/[\r\n]/.test(h)),
    fc.constant(null),
  ),
  origin: fc.oneof(
    { arbitrary: fc.constantFrom(null, 'ours'), weight: 6 },
    fc.constantFrom('http://evil.example', 'null', 'file://'),
    fc.webUrl(),
  ),
  token: fc.constantFrom('right', 'right', 'right', 'right', 'wrong', 'none', 'query'),
  contentType: fc.oneof(
    { arbitrary: fc.constantFrom(JSON_TYPE, FRAME_TYPE), weight: 4 },
    fc.constantFrom(JSON_TYPE, FRAME_TYPE, 'text/plain', 'application/json; charset=utf-8', 'multipart/form-data'),
    fc.constant(null),
  ),
  body: fc.oneof(
    // Valid params of several methods (health, listDirectory, recentStudies, listJobs): requests that would succeed.
    { arbitrary: fc.constant(new TextEncoder().encode('{}')), weight: 3 },
    params.map((p) => new TextEncoder().encode(JSON.stringify(p))),
    frame.map((f) => encodeBody(f).body),
    frame.chain((f) => fc.nat().map((cut) => encodeBody(f).body.subarray(0, cut % (encodeBody(f).body.length + 1)))),
    fc.uint8Array({ maxLength: 300 }),
    fc.string({ maxLength: 200 }).map((t) => new TextEncoder().encode(t)),
  ),
  length: fc.constantFrom('exact', 'exact', 'exact', 'exact', 'exact', 'short', 'long', 'none', 'junk'),
  upgrade: fc.constantFrom('none', 'none', 'none', 'websocket', 'junk-key'),
});

function request(h: Hostile, port: number, token: string): Buffer {
  const ours = `127.0.0.1:${port}`;
  const target = h.token === 'query' ? `${h.target}${h.target.includes('?') ? '&' : '?'}token=${token}` : h.target;
  const lines = [`${h.method} ${target} HTTP/1.1`];
  if (h.host !== null) lines.push(`Host: ${h.host === 'ours' ? ours : h.host}`);
  if (h.origin !== null) lines.push(`Origin: ${h.origin === 'ours' ? `http://${ours}` : h.origin}`);
  if (h.token === 'right') lines.push(`Authorization: Bearer ${token}`);
  if (h.token === 'wrong') lines.push(`Authorization: Bearer ${token.slice(1)}x`);
  if (h.contentType !== null) lines.push(`Content-Type: ${h.contentType}`);
  const lengths = {
    exact: String(h.body.length),
    short: String(Math.max(0, h.body.length - 3)),
    long: String(h.body.length + 10),
    none: null,
    junk: '12abc',
  };
  if (lengths[h.length] !== null) lines.push(`Content-Length: ${lengths[h.length]}`);
  if (h.upgrade !== 'none') {
    lines.push('Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13');
    lines.push(`Sec-WebSocket-Key: ${h.upgrade === 'websocket' ? 'dGhlIHNhbXBsZSBub25jZQ==' : 'not a key'}`);
  } else {
    lines.push('Connection: close');
  }
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), h.body]);
}

/** Sends the bytes; whatever came back once the server hangs up or stays quiet for a moment (a lying length). */
function send(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let quiet = setTimeout(() => socket.destroy(), 250);
    socket.on('data', (d) => {
      answer += d.toString('latin1');
      clearTimeout(quiet);
      quiet = setTimeout(() => socket.destroy(), 100);
    });
    socket.on('close', () => {
      clearTimeout(quiet);
      resolve(answer);
    });
    socket.on('error', () => undefined);
  });
}

test('hostile requests neither crash the host nor draw a 5xx, a logged fault or a temp path', async () => {
  const temp = [...new Set([tmpdir(), realpathSync(tmpdir())])];
  const roots = [...new Set([root, realpathSync(root)])];
  await fc.assert(
    fc.asyncProperty(hostile, async (h) => {
      const answer = await send(s.port, request(h, s.port, s.token));
      if (answer === '') return; // Hung up on: allowed for anything malformed.
      const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1]);
      assert.ok(status >= 100 && status < 600, `not an HTTP answer: ${JSON.stringify(answer.slice(0, 80))}`);
      const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
      const served = status < 300;
      const what = () => `${status} for ${JSON.stringify(h).slice(0, 300)}`;
      // Nothing is served to a name that is not ours (DNS rebinding), no API without the token, and no POST or
      // event socket to another site's page.
      if (h.host !== 'ours') assert.ok(!served, what());
      if (h.target.startsWith('/api/') && (h.token === 'wrong' || h.token === 'none')) assert.ok(!served, what());
      if ((h.method === 'POST' || h.upgrade !== 'none') && h.origin !== null && h.origin !== 'ours') assert.ok(!served, what());
      // 503: the viewer is not built here, or the host is busy; 500: a method that really failed (an unreadable
      // file), never the generic answer to a bug, which the fault log below would catch anyway.
      if (status >= 500) {
        assert.ok(status === 503 || (status === 500 && !/unexpected server error/.test(body)), `${what()}: ${body.slice(0, 300)}`);
      }
      // A study opened from an upload is by design the temp copy's path; everything else must not name one.
      if (!(h.target === '/api/uploadStudy' && status === 200)) {
        const shown = roots.reduce((text, r) => text.replaceAll(r, '<root>'), body);
        for (const dir of temp) assert.ok(!shown.includes(dir), `temp path in ${status} reply: ${shown.slice(0, 300)}`);
      }
      assert.deepEqual(faults, [], `faults logged after ${JSON.stringify(h).slice(0, 300)}`);
    }),
    { numRuns: 500, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
  );
  const health = await fetch(`http://127.0.0.1:${s.port}/api/health`, { headers: { Authorization: `Bearer ${s.token}` } });
  assert.equal(health.status, 200);
});
