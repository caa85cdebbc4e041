import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HostMessage } from './job-protocol.js';
import { siblingModule } from '../util/sibling-module.js';

/** The job worker's module, which a launcher starts in a process of its own. */
export const JOB_WORKER = fileURLToPath(siblingModule(import.meta.url, 'job-worker'));

/** A started job process as the host sees it, whatever started it. */
export interface JobProcess {
  send(message: HostMessage): void;
  /** `onEnd` gets why the process ended (only shown when the job had not reported its own end). */
  /** Messages arrive unchecked: the host checks them (job-host.ts). */
  listen(onMessage: (message: unknown) => void, onEnd: (why: string) => void): void;
  /** The job reported its end: a process that does not end by itself is stopped now. */
  finished(): void;
  readonly connected: boolean;
}

/** Starts the job worker in a process of its own. */
export type LaunchJobProcess = () => JobProcess;

/**
 * A Node child process (the CLI, `universeg serve`, tests). The desktop app launches Electron utility processes
 * instead (electron/job-process.ts): its binary does not run as Node once the RunAsNode fuse is off.
 */
export const forkJobProcess: LaunchJobProcess = () => {
  // Running from TypeScript sources (tests, development) the child needs the same loader.
  const execArgv = JOB_WORKER.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = fork(JOB_WORKER, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    send: (message) => child.send(message),
    listen(onMessage, onEnd) {
      child.on('message', onMessage);
      child.on('exit', (code, signal) => onEnd(`job process ended unexpectedly (${signal ?? `exit ${code}`})`));
      child.on('error', (err) => onEnd(`cannot start job process: ${err.message}`));
    },
    // The worker disconnects once its last message is flushed, and exits.
    finished: () => undefined,
    get connected() {
      return child.connected;
    },
  };
};
