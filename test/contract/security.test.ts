import assert from 'node:assert/strict';
import { existsSync, realpathSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import type { ApiEvent } from '../../core/contract/index.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
let base: string;
before(async () => {
  h = await startHarness();
  base = `http://127.0.0.1:${h.server.port}`;
});
after(() => h.close());

describe('the token', () => {
  test('GET /api/health needs it', async () => {
    assert.equal((await fetch(`${base}/api/health`)).status, 401);
    assert.equal((await fetch(`${base}/api/health?token=wrong`)).status, 401);
    const ok = await fetch(`${base}/api/health?token=${h.server.token}`);
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { ok: boolean }).ok, true);
  });

  test('every method needs it, whether or not the method exists', async () => {
    for (const method of ['openStudy', 'getSlice', 'listDirectory', 'noSuchMethod']) {
      const { status, reply } = await h.http(method, { path: '.' }, null);
      assert.equal(status, 401, method);
      assert.ok(!reply.ok);
      assert.equal(reply.error.code, 'unauthorized');
      assert.equal((await h.http(method, { path: '.' }, `${h.server.token}x`)).status, 401, `${method} with a wrong token`);
    }
  });

  test('the WebSocket refuses a client without it and pushes events to one with it', async () => {
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${h.server.port}/api/events`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    assert.equal(refused, 401);

    const ws = new WebSocket(`ws://127.0.0.1:${h.server.port}/api/events?token=${h.server.token}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const event: ApiEvent = {
      type: 'job',
      job: { jobId: 'j1', kind: 'propagate', state: 'running', progress: 0.25, message: 'slice 3 of 12' },
    };
    const received = new Promise<unknown>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
    h.server.events.emit(event);
    assert.deepEqual(await received, event);
    ws.close();
  });

  test('the page itself loads without it (it carries the token in its URL)', async () => {
    const page = await fetch(`${base}/`);
    assert.equal(page.status, 503, 'this harness serves no built viewer, and says so');
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  });
});

describe('a hostile client does not take the server down', () => {
  /** Sends raw bytes and returns the first line of the answer (empty when the socket closes without one). */
  function raw(request: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(h.server.port, '127.0.0.1', () => socket.write(request));
      let answer = '';
      socket.on('data', (d) => (answer += String(d)));
      socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
      socket.on('error', reject);
      socket.setTimeout(5000, () => socket.destroy());
    });
  }
  const alive = async () => assert.equal((await fetch(`${base}/api/health?token=${h.server.token}`)).status, 200);

  test('a request target that is not a URL, with or without a WebSocket upgrade and no token, is a 400', async () => {
    const upgrade =
      'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
    assert.match(await raw(`GET // HTTP/1.1\r\nHost: 127.0.0.1:${h.server.port}\r\n${upgrade}\r\n`), /^HTTP\/1\.1 400/);
    await alive();
    assert.match(await raw(`GET // HTTP/1.1\r\nHost: 127.0.0.1:${h.server.port}\r\nConnection: close\r\n\r\n`), /^HTTP\/1\.1 400/);
    await alive();
  });

  test('a frame over the size limit or of invalid UTF-8 drops that client only', async () => {
    for (const send of [
      (ws: WebSocket) => ws.send('x'.repeat(200 * 1024)),
      (ws: WebSocket) => ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false }),
    ]) {
      const ws = new WebSocket(`ws://127.0.0.1:${h.server.port}/api/events?token=${h.server.token}`);
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      ws.on('error', () => undefined);
      send(ws);
      assert.ok([1006, 1007, 1009].includes(await closed), 'the server closes the socket');
      await alive();
    }
  });
});

describe('only paths under --root', () => {
  const refused: [string, unknown][] = [
    ['openStudy', { path: '..' }],
    ['openStudy', { path: '../outside/private.nii' }],
    ['openStudy', { path: 'stack2d/../../outside' }],
    ['openStudy', { path: '/etc' }],
    ['openStudy', { path: 'escape/private.nii' }],
    ['openStudy', { path: 'escape' }],
    ['listDirectory', { path: 'escape' }],
    ['listDirectory', { path: '/' }],
  ];
  for (const [method, params] of refused) {
    test(`${method} ${JSON.stringify(params)} is forbidden`, async () => {
      const { status, reply } = await h.http(method, params);
      assert.equal(status, 403);
      assert.ok(!reply.ok);
      assert.match(reply.error.message, /is outside the served folder/);
    });
  }

  test('a label file reached through a symlink out of the root is forbidden too', async () => {
    const { reply: opened } = await h.http('openStudy', { path: 'anatomical.nii' });
    assert.ok(opened.ok);
    const study = opened.value as { id: string; items: { id: string }[] };
    const { status } = await h.http('loadLabels', { studyId: study.id, itemId: study.items[0]!.id, path: 'escape/private.nii' });
    assert.equal(status, 403);
  });

  test('labels cannot be written outside the root, through `..` or a symlink', async () => {
    const { reply: opened } = await h.http('openStudy', { path: 'anatomical.nii' });
    assert.ok(opened.ok);
    const study = opened.value as { id: string; items: { id: string }[] };
    const ref = { studyId: study.id, itemId: study.items[0]!.id };
    assert.equal((await h.http('loadLabels', { ...ref, path: 'anatomical_labels.nii.gz' })).status, 200);
    for (const target of ['../outside/stolen.nii.gz', 'escape/stolen.nii.gz', '/tmp/stolen.nii.gz']) {
      assert.equal((await h.http('exportLabels', { ...ref, path: target })).status, 403, target);
    }
    assert.equal(existsSync(path.join(h.outside, 'stolen.nii.gz')), false);
  });

  test('`..` that stays inside the root is fine', async () => {
    const { status } = await h.http('openStudy', { path: 'stack2d/../anatomical.nii' });
    assert.equal(status, 200);
  });
});

describe("the desktop host reaches only what the user picked (main.ts's allow-list)", () => {
  const notOpened = /is not in a folder you opened: open it with File > Open or drop it on the window first$/;

  test('the picked study folder opens, by relative or absolute path, with what lies below it', async () => {
    for (const study of ['anatomical.nii', 'stack2d', path.join(h.root, 'dicom_mr'), 'stack2d/../anatomical.nii']) {
      const reply = await h.ipc('openStudy', { path: study });
      assert.ok(reply.ok, `${study}: ${JSON.stringify(reply)}`);
    }
  });

  const refused: [string, string, (h: Harness) => unknown][] = [
    ['a sibling folder, by `..`', 'openStudy', () => ({ path: '../outside/private.nii' })],
    ['a sibling folder, by its absolute path', 'openStudy', (h) => ({ path: h.outside })],
    ['the folder above the picked one', 'openStudy', (h) => ({ path: path.dirname(h.root) })],
    ['/etc', 'openStudy', () => ({ path: '/etc' })],
    ['a link out of the picked folder', 'openStudy', () => ({ path: 'escape/private.nii' })],
    ['the file system root', 'listDirectory', () => ({ path: '/' })],
    ['the folder above, by `..`', 'listDirectory', () => ({ path: '..' })],
  ];
  for (const [what, method, params] of refused) {
    test(`${method} of ${what} is refused with a clear error`, async () => {
      const reply = await h.ipc(method, params(h));
      assert.ok(!reply.ok, JSON.stringify(reply));
      assert.equal(reply.error.code, 'forbidden');
      assert.match(reply.error.message, notOpened);
    });
  }

  test('labels cannot be written outside what was picked', async () => {
    const opened = await h.ipc('openStudy', { path: 'anatomical.nii' });
    assert.ok(opened.ok);
    const study = opened.value as { id: string; items: { id: string }[] };
    const ref = { studyId: study.id, itemId: study.items[0]!.id };
    assert.ok((await h.ipc('loadLabels', { ...ref, path: 'anatomical_labels.nii.gz' })).ok);
    for (const target of ['../outside/stolen.nii.gz', 'escape/stolen.nii.gz', path.join(h.outside, 'stolen.nii.gz')]) {
      const reply = await h.ipc('exportLabels', { ...ref, path: target });
      assert.ok(!reply.ok && reply.error.code === 'forbidden', `${target}: ${JSON.stringify(reply)}`);
    }
    assert.equal(existsSync(path.join(h.outside, 'stolen.nii.gz')), false);
  });

  test('a folder opens once the user picks it in the open dialog; a path that is no file grants nothing', async () => {
    assert.equal(await h.pick(path.join(h.outside, 'no-such-folder')), null);
    assert.match(
      ((await h.ipc('openStudy', { path: '../outside/private.nii' })) as { error: { message: string } }).error.message,
      notOpened,
    );
    assert.equal(await h.pick(h.outside), realpathSync(h.outside));
    const reply = await h.ipc('openStudy', { path: '../outside/private.nii' });
    assert.ok(reply.ok, JSON.stringify(reply));
    assert.match(
      ((await h.ipc('openStudy', { path: '/etc' })) as { error: { message: string } }).error.message,
      notOpened,
      'and nothing else',
    );
  });
});
