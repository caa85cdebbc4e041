/**
 * Both transports of the contract over one study folder: Electron's IPC handler (registered on a stand-in ipcMain,
 * exactly as main.ts registers it, over main.ts's allow-list path policy) and `universeg serve`'s HTTP host. A test
 * makes the same calls through both.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ApiReply, Study } from '../../core/contract/index.js';
import { decodeBody, encodeBody } from '../../core/contract/codec.js';
import { createDispatch } from '../../core/engine/dispatch.js';
import { createEventBus, type ApiEvents } from '../../core/engine/event-bus.js';
import { createEngine } from '../../core/engine/handlers.js';
import { recentStudiesFile } from '../../core/engine/recent.js';
import { createUploadArea } from '../../core/engine/upload.js';
import { startServer, type RunningServer } from '../../core/cli/serve.js';
import { packageVersion } from '../../core/util/package-root.js';
import { channels } from '../../core/contract/desktop-bridge.js';
import { registerIpc } from '../../electron/ipc.js';
import { desktopPaths, grantPicked } from '../../core/engine/desktop-paths.js';

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/viewer');
/** Tiny random weights: propagation runs for real, fast enough for tests, with no trained model needed. */
export const TEST_MODEL = path.resolve(import.meta.dirname, '../fixtures/workflow/tiny-model.safetensors');
export const APP_PAGE = 'app://viewer/index.html';

type IpcListener = (event: { senderFrame: { url: string } }, ...args: unknown[]) => unknown;

export interface Harness {
  /** The study folder both transports serve. */
  root: string;
  /** A folder next to it, outside it. */
  outside: string;
  server: RunningServer;
  /** What the IPC host's engine announces (Electron forwards it with webContents.send). */
  ipcEvents: ApiEvents;
  ipc(method: string, params: unknown, sender?: string): Promise<ApiReply>;
  /** The user picks `folder` in the desktop app's open dialog (the page's Browse…): what main.ts grants, or null. */
  pick(folder: string): Promise<string | null>;
  http(method: string, params: unknown, token?: string | null): Promise<{ status: number; reply: ApiReply }>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const base = mkdtempSync(path.join(tmpdir(), 'universeg-contract-'));
  const root = path.join(base, 'studies');
  const outside = path.join(base, 'outside');
  mkdirSync(outside);
  cpSync(FIXTURES, root, { recursive: true });
  writeFileSync(path.join(outside, 'secret.txt'), 'not for the browser');
  cpSync(path.join(FIXTURES, 'anatomical.nii'), path.join(outside, 'private.nii'));
  // A link inside the root that leads out of it.
  symlinkSync(outside, path.join(root, 'escape'));

  const server = await startServer({
    port: 0,
    root,
    recentFile: path.join(base, 'http-recent.json'),
    staticDir: null,
    modelPath: TEST_MODEL,
  });

  // The desktop app's policy, as main.ts builds it: only what the user picked (here the study folder, as if chosen
  // in the open dialog) is reachable. Relative paths start at its base folder (home in the app), here the root.
  const ipcEvents = createEventBus();
  const recent = recentStudiesFile(path.join(base, 'ipc-recent.json'));
  const paths = await desktopPaths(root, recent);
  if ((await grantPicked(paths, root)) === null) throw new Error(`the harness could not pick ${root}`);
  let dialogAnswer: string | null = null;
  const engine = createEngine({
    paths,
    recent,
    uploads: createUploadArea(),
    events: ipcEvents,
    version: packageVersion(),
    modelPath: TEST_MODEL,
  });
  const listeners = new Map<string, IpcListener>();
  registerIpc({ handle: (channel: string, listener: IpcListener) => void listeners.set(channel, listener) } as never, {
    dispatch: createDispatch(engine.handlers),
    pickStudy: async () => (dialogAnswer === null ? null : grantPicked(paths, dialogAnswer)),
    grantDropped: (dropped) => grantPicked(paths, dropped),
    isTrustedSender: (url) => url === APP_PAGE,
  });

  return {
    root,
    outside,
    server,
    ipcEvents,
    async ipc(method, params, sender = APP_PAGE) {
      return (await listeners.get(channels.invoke)!({ senderFrame: { url: sender } }, method, params)) as ApiReply;
    },
    async pick(folder) {
      dialogAnswer = folder;
      try {
        return (await listeners.get(channels.pickStudy)!({ senderFrame: { url: APP_PAGE } })) as string | null;
      } finally {
        dialogAnswer = null;
      }
    },
    async http(method, params, token = server.token) {
      const { contentType, body } = encodeBody(params);
      const response = await fetch(`http://127.0.0.1:${server.port}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': contentType, ...(token === null ? {} : { Authorization: `Bearer ${token}` }) },
        body,
      });
      const decoded = decodeBody(response.headers.get('content-type'), new Uint8Array(await response.arrayBuffer()));
      const reply: ApiReply = response.ok ? { ok: true, value: decoded } : { ok: false, error: (decoded as { error: never }).error };
      return { status: response.status, reply };
    },
    async close() {
      await server.close();
      await engine.close();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** The value of a successful reply; fails the test, showing the reply, on an error. */
export function value<T>(reply: ApiReply): T {
  assert.ok(reply.ok, `expected success, got ${JSON.stringify(reply)}`);
  return reply.value as T;
}

/**
 * Opens the anatomical fixture over HTTP and, with `labels`, loads that label map for it: the item the contract
 * tests of one volume work on.
 */
export async function openAnatomical(h: Harness, labels?: string): Promise<{ studyId: string; itemId: string }> {
  const study = value<Study>((await h.http('openStudy', { path: 'anatomical.nii' })).reply);
  const ref = { studyId: study.id, itemId: study.items[0]!.id };
  if (labels) value((await h.http('loadLabels', { ...ref, path: labels })).reply);
  return ref;
}
