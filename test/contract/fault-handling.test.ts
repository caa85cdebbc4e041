import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import type { ApiEvent, ApiHandlers, JobProgress } from '../../core/contract/index.js';
import { FRAME_TYPE, encodeBody } from '../../core/contract/codec.js';
import { createDispatch } from '../../core/engine/dispatch.js';
import { ApiError } from '../../core/contract/errors.js';
import { createEventBus } from '../../core/engine/event-bus.js';
import { createHttpHost, type HttpHost, type HttpHostOptions } from '../../core/server/http-host.js';
import { scrubMessage, unexpectedFault } from '../../core/server/public-error.js';
import { FIXTURES, startHarness, type Harness } from './harness.js';

const repo = path.resolve(import.meta.dirname, '../..');
const tmp = tmpdir();

describe('messages that reach a client say nothing about the machine', () => {
  const root = path.join(tmp, 'universeg-contract-x', 'studies');

  test('an upload\'s temp folder reads as its dropped name; other temp paths as "a temporary file"', () => {
    assert.equal(scrubMessage(`${tmp}/universeg-upload-123-AbC/drop/x.mha: unreadable`, [root]), 'drop/x.mha: unreadable');
    assert.equal(scrubMessage(`could not write ${tmp}/universeg-encode-9-q/out.nrrd`, [root]), 'could not write a temporary file');
    assert.equal(scrubMessage(`copy of ${tmp}`, [root]), 'copy of a temporary file');
  });

  test('itk-wasm pointer numbers go', () => {
    assert.equal(
      scrubMessage('x.mha: the ITK reader/writer failed (itk-wasm exception 5243160); corrupt', [root]),
      'x.mha: the ITK reader/writer failed (itk-wasm exception); corrupt',
    );
  });

  test('paths under the served folder stay, even inside the temp folder; lookalikes of the temp folder too', () => {
    assert.equal(scrubMessage(`${root}/anatomical.nii: no such file`, [root]), `${root}/anatomical.nii: no such file`);
    assert.equal(scrubMessage(`${tmp}files/x: gone`, [root]), `${tmp}files/x: gone`);
  });
});

/** The HTTP host over stand-in handlers, with token 't', listening on a free port. */
async function stubHost(options: Pick<HttpHostOptions, 'dispatch'> & Partial<HttpHostOptions>): Promise<{ host: HttpHost; port: number }> {
  const host = createHttpHost({
    events: createEventBus(),
    token: 't',
    staticDir: null,
    receiveUpload: async () => ({ ok: true, value: {} }),
    userFolders: [],
    ...options,
  });
  await new Promise<void>((resolve) => host.server.listen(0, '127.0.0.1', resolve));
  return { host, port: (host.server.address() as AddressInfo).port };
}

describe('a fault in a handler', () => {
  let host: HttpHost;
  let port: number;
  const logged: string[] = [];
  before(async () => {
    const handlers = {
      health: async () => {
        throw new TypeError(`Cannot read properties of undefined (reading 'data') at ${tmp}/universeg-seg-1-x/a.dcm`);
      },
      listDirectory: async () => {
        throw new ApiError('not-found', `no such folder: ${tmp}/universeg-upload-5-y/drop/sub`);
      },
    } as unknown as ApiHandlers;
    const log = (line: string) => void logged.push(line);
    ({ host, port } = await stubHost({ dispatch: createDispatch(handlers, unexpectedFault(log)), log }));
  });
  after(() => host.close());

  test('is a 500 with a generic message and an id; the log has the id with the whole story', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/api/health`, { headers: { Authorization: 'Bearer t' } });
    assert.equal(response.status, 500);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    const id = /^unexpected server error \(id ([0-9a-f]{8})\); the server's log has the detail$/.exec(error.message)?.[1];
    assert.ok(id, error.message);
    assert.equal(error.code, 'internal');
    const line = logged.find((l) => l.includes(id));
    assert.ok(line, `the log holds ${id}: ${logged.join('\n')}`);
    assert.match(line, /health: TypeError: Cannot read properties of undefined[\s\S]*universeg-seg-1-x[\s\S]* at /);
  });

  test('a message meant for the user keeps its meaning, without the temp path', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/api/listDirectory`, {
      method: 'POST',
      headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { error: { code: 'not-found', message: 'no such folder: drop/sub' } });
  });
});

describe('job messages that reach a browser client say nothing about the machine either', () => {
  const root = path.join(tmp, 'universeg-contract-y', 'studies');
  const failed = (message: string): JobProgress => ({ jobId: 'j1', kind: 'propagate', state: 'failed', progress: 0.5, message });
  const corrupt = `${tmp}/universeg-upload-7-z/drop/x.mha: the ITK reader/writer failed (itk-wasm exception 5243160)`;
  const scrubbed = 'drop/x.mha: the ITK reader/writer failed (itk-wasm exception)';
  let host: HttpHost;
  let port: number;
  const events = createEventBus();
  before(async () => {
    const handlers = {
      listJobs: async () => [failed(corrupt), { ...failed(`${root}/anatomical.nii: unreadable`), jobId: 'j2' }],
      cancelJob: async () => failed(corrupt),
    } as unknown as ApiHandlers;
    ({ host, port } = await stubHost({ dispatch: createDispatch(handlers), events, userFolders: [root] }));
  });
  after(() => host.close());

  test("the event socket scrubs a failed job's message and a running one's note; the bus (Electron's) keeps them whole", async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events?token=t`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const received: ApiEvent[] = [];
    const all = new Promise<void>((resolve) => ws.on('message', (data) => received.push(JSON.parse(String(data))) === 4 && resolve()));
    const onBus: ApiEvent[] = [];
    const stop = events.subscribe((event) => void onBus.push(event));
    const sent: ApiEvent[] = [
      { type: 'job', job: { ...failed(corrupt), state: 'running', message: `writing ${tmp}/universeg-encode-3-q/labels.nrrd` } },
      { type: 'job', job: failed(corrupt) },
      { type: 'job', job: failed(`${root}/anatomical.nii: unreadable`) },
      { type: 'loss', jobId: 'j1', step: 3, loss: 0.25 },
    ];
    for (const event of sent) events.emit(event);
    await all;
    stop();
    ws.close();
    assert.deepEqual(
      received.map((e) => (e.type === 'job' ? e.job.message : e.type)),
      ['writing a temporary file', scrubbed, `${root}/anatomical.nii: unreadable`, 'loss'],
    );
    assert.deepEqual(received[1], { type: 'job', job: { ...failed(corrupt), message: scrubbed } }, 'nothing else of the job changes');
    assert.deepEqual(onBus, sent);
  });

  test('listJobs and cancelJob replies are scrubbed the same way', async () => {
    const call = async (method: string) => {
      const response = await fetch(`http://127.0.0.1:${port}/api/${method}`, {
        method: 'POST',
        headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
        body: method === 'cancelJob' ? '{"jobId":"j1"}' : '{}',
      });
      assert.equal(response.status, 200, method);
      return response.json();
    };
    assert.deepEqual(
      ((await call('listJobs')) as JobProgress[]).map((j) => j.message),
      [scrubbed, `${root}/anatomical.nii: unreadable`],
    );
    assert.equal(((await call('cancelJob')) as JobProgress).message, scrubbed);
  });
});

describe('a corrupt upload, end to end', () => {
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(() => h.close());

  test('its reader failure names the dropped file, with no temp path and no itk pointer', async () => {
    // A MetaImage header promising 8 voxels that are not there: itk-wasm fails with a bare exception pointer.
    const mha = new TextEncoder().encode(
      'ObjectType = Image\nNDims = 3\nDimSize = 2 2 2\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n',
    );
    const { body } = encodeBody({ name: 'drop', files: [{ path: 'x.mha', data: mha }] });
    const auth = { Authorization: `Bearer ${h.server.token}` };
    const uploaded = await fetch(`http://127.0.0.1:${h.server.port}/api/uploadStudy`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': FRAME_TYPE },
      body,
    });
    assert.equal(uploaded.status, 200);
    const study = (await uploaded.json()) as { id: string; items: { id: string }[] };
    const { status, reply } = await h.http('getSlice', { studyId: study.id, itemId: study.items[0]!.id, axis: 2, index: 0 });
    assert.equal(status, 500);
    assert.ok(!reply.ok);
    assert.equal(
      reply.error.message,
      'drop/x.mha: the ITK reader/writer failed (itk-wasm exception); the file is corrupt or an unsupported variant of its format',
    );
  });
});

describe('`universeg serve` outlives a fault no handler caught', () => {
  test('it logs it with an id, writes pending saves and keeps serving', async () => {
    // run() as the CLI starts it, and then a throw from a timer and a rejection nobody awaits, as a buggy
    // callback deep in a library would produce; the flush is watched through the project store.
    const script = `
      const { ProjectStore } = await import('./core/engine/project-store.ts');
      const flushAll = ProjectStore.prototype.flushAll;
      ProjectStore.prototype.flushAll = function () { process.stderr.write('flushing saves\\n'); return flushAll.call(this); };
      const { run } = await import('./core/cli/serve.ts');
      setTimeout(() => { throw new Error('boom outside any request'); }, 300);
      setTimeout(() => void Promise.reject(new Error('nobody awaited this')), 400);
      process.exit(await run(${JSON.stringify(['--root', FIXTURES, '--port', '0'])}));
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repo,
      env: { ...process.env, XDG_CONFIG_HOME: path.join(repo, 'test-results', 'serve-cli-config') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
    const [, port, token] = /:(\d+)\/\?token=([\w-]+)$/.exec(line) ?? [];
    await new Promise((r) => setTimeout(r, 1000));
    const health = await fetch(`http://127.0.0.1:${port}/api/health`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(health.status, 200, stderr);
    assert.match(stderr, /\[fault [0-9a-f]{8}\] uncaught exception: Error: boom outside any request/);
    assert.match(stderr, /\[fault [0-9a-f]{8}\] unhandled rejection: Error: nobody awaited this/);
    assert.match(stderr, /flushing saves/);
    child.kill('SIGTERM');
    assert.equal(await exit, 0);
  });
});
