import { createEventBus } from '../core/engine/event-bus.js';
import { desktopPaths, grantPicked } from '../core/engine/desktop-paths.js';
import { createDispatch } from '../core/engine/dispatch.js';
import { createEngine } from '../core/engine/handlers.js';
import { JobQueue } from '../core/engine/job-queue.js';
import { recentStudiesFile } from '../core/engine/recent.js';
import { createUploadArea } from '../core/engine/upload.js';
import { startJob } from '../core/jobs/job-host.js';
import { forkJobProcess } from '../core/jobs/job-process.js';
import type { ParentChannel } from '../core/util/parent-channel.js';
import { RelayMessageSchema, type EngineHostConfig, type EngineMessage, type RelayMessage } from './engine-protocol.js';
import { relayedJobs } from './relayed-jobs.js';

/**
 * The desktop app's engine, in a process of its own (engine-process.ts starts it): decoding a large DICOM series,
 * probing files and computing statistics happen here, so the main process, which handles the window, menus and
 * IPC, never stalls on them. It answers what main relays from the page and announces the engine's events.
 */
export function runEngineHost(channel: ParentChannel, config: EngineHostConfig): void {
  const post = (message: EngineMessage) => void channel.send(message);
  const jobsThroughMain = relayedJobs(post);
  const recent = recentStudiesFile(config.recentFile);
  const uploads = createUploadArea();
  const events = createEventBus();
  const launch = config.jobs === 'relay' ? jobsThroughMain.launch : forkJobProcess;
  const jobs = new JobQueue(events, (kind, params, handlers) => startJob(kind, params, handlers, launch));
  // Listening before the path policy is read: a message that came meanwhile would be lost, so it waits for it.
  const ready = desktopPaths(config.home, recent).then((paths) => {
    const engine = createEngine({ paths, recent, uploads, events, jobs, version: config.version });
    events.subscribe((event) => post({ type: 'event', event }));
    // A bug in a handler that escapes it must not take the user's unsaved work with the process.
    process.on('uncaughtException', (err) => {
      process.stderr.write(`engine: unexpected fault: ${err.stack ?? err.message}\n`);
      void engine.flush();
    });
    return { engine, paths, dispatch: createDispatch(engine.handlers) };
  });

  async function answer(message: RelayMessage): Promise<void> {
    if (message.type === 'job-message') return void jobsThroughMain.message(message.ticket, message.message);
    if (message.type === 'job-end') return void jobsThroughMain.end(message.ticket, message.why);
    const { engine, paths, dispatch } = await ready;
    const reply = (value: unknown) => post({ type: 'reply', id: message.id, value });
    if (message.type === 'call') reply(await dispatch(message.method, message.params));
    else if (message.type === 'grant') reply(await grantPicked(paths, message.path));
    else if (message.type === 'recent') reply(await recent.list());
    else {
      await engine.close();
      await uploads.dispose();
      reply(null);
    }
  }

  channel.onMessage((raw) => {
    const message = RelayMessageSchema.safeParse(raw);
    if (message.success) void answer(message.data);
    else process.stderr.write(`engine: ignored a malformed message from the main process: ${message.error.message}\n`);
  });
}
