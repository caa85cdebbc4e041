import { jobKinds } from './job-kinds.js';
import type { HostMessage, WorkerMessage } from './job-protocol.js';

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

const receive = (message: HostMessage) => {
  if (message.type === 'cancel') controller.abort();
  else void start(message.kind, message.params);
};
if (parentPort) parentPort.on('message', (event) => receive(event.data as HostMessage));
else process.on('message', receive);
process.on('disconnect', () => controller.abort());

async function start(kind: string, params: unknown): Promise<void> {
  try {
    const load = jobKinds[kind];
    if (!load) throw new Error(`unknown job kind '${kind}'`);
    const fn = await load();
    const value = await fn(params as never, {
      signal: controller.signal,
      progress: (done, total, note) => void send({ type: 'progress', done, total, note }),
      event: (event) => void send({ type: 'event', event }),
    });
    await send({ type: 'result', value });
  } catch (err) {
    await send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
  // Only once the last message is flushed: disconnecting earlier can drop it. A utility process is ended by its host.
  if (!parentPort) process.disconnect();
}
