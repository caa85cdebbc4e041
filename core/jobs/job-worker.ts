import { z } from 'zod';
import { isJobKind, jobKinds, type JobKind } from './job-kinds.js';
import { HostMessageSchema, type WorkerMessage } from './job-protocol.js';

/**
 * The child side of a job. ONNX Runtime runs here rather than in a worker thread: onnxruntime-node has crashed in
 * worker_threads (microsoft/onnxruntime#24486), and a child process also keeps a native crash away from the app.
 */
const controller = new AbortController();

/** Set in an Electron utility process (the desktop app's jobs); a Node child talks over process IPC instead. */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}
const parentPort = (process as { parentPort?: ParentPort }).parentPort;

const send = (m: WorkerMessage) =>
  parentPort ? Promise.resolve(parentPort.postMessage(m)) : new Promise<void>((resolve) => process.send!(m, undefined, {}, () => resolve()));

const receive = (raw: unknown) => {
  const message = HostMessageSchema.safeParse(raw);
  if (!message.success) void finish({ type: 'error', message: `job process got a malformed message: ${z.prettifyError(message.error)}` });
  else if (message.data.type === 'cancel') controller.abort();
  else void start(message.data.kind, message.data.params);
};
if (parentPort) parentPort.on('message', (event) => receive(event.data));
else process.on('message', receive);
process.on('disconnect', () => controller.abort());

async function start(kind: string, params: unknown): Promise<void> {
  try {
    if (!isJobKind(kind)) throw new Error(`unknown job kind '${kind}'`);
    await finish({ type: 'result', value: await run(kind, params) });
  } catch (err) {
    await finish({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}

async function run<K extends JobKind>(kind: K, params: unknown): Promise<unknown> {
  const spec = jobKinds[kind];
  const checked = spec.params.safeParse(params);
  if (!checked.success) throw new Error(`job '${kind}' got bad parameters: ${z.prettifyError(checked.error)}`);
  const fn = await spec.load();
  return fn(checked.data, {
    signal: controller.signal,
    progress: (done, total, note) => void send({ type: 'progress', done, total, note }),
    event: (event) => void send({ type: 'event', event }),
  });
}

async function finish(last: WorkerMessage): Promise<void> {
  await send(last);
  // Only once the last message is flushed: disconnecting earlier can drop it. A utility process is ended by its host.
  if (!parentPort) process.disconnect();
}
