import { z } from 'zod';
import { isJobKind, jobKinds, type JobKind } from './job-kinds.js';
import { HostMessageSchema, type WorkerMessage } from './job-protocol.js';
import { parentChannel } from '../util/parent-channel.js';

/**
 * The child side of a job. ONNX Runtime runs here rather than in a worker thread: onnxruntime-node has crashed in
 * worker_threads (microsoft/onnxruntime#24486), and a child process also keeps a native crash away from the app.
 */
const controller = new AbortController();

const parent = parentChannel();
const send = (m: WorkerMessage) => parent.send(m);

const receive = (raw: unknown) => {
  const message = HostMessageSchema.safeParse(raw);
  if (!message.success) void finish({ type: 'error', message: `job process got a malformed message: ${z.prettifyError(message.error)}` });
  else if (message.data.type === 'cancel') controller.abort();
  else void start(message.data.kind, message.data.params);
};
parent.onMessage(receive);
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
  // Only once the last message is flushed: disconnecting earlier can drop it.
  parent.release();
}
