import type { ForkOptions, UtilityProcess } from 'electron';
import { JOB_WORKER, type LaunchJobProcess } from '../core/jobs/job-process.js';

/** What the launcher needs of Electron's utilityProcess.fork (a plain function, so tests can stand in for it). */
export type ForkUtility = (modulePath: string, args: string[], options: ForkOptions) => Pick<UtilityProcess, 'postMessage' | 'on' | 'kill'>;

/**
 * Jobs of the desktop app run in Electron utility processes: with the RunAsNode fuse off, Electron's binary no
 * longer runs as Node, so child_process.fork (which relies on ELECTRON_RUN_AS_NODE) cannot start them.
 */
export function utilityJobLauncher(fork: ForkUtility): LaunchJobProcess {
  return () => {
    const child = fork(JOB_WORKER, [], { serviceName: 'UniverSeg job', stdio: 'inherit' });
    let running = true;
    return {
      send: (message) => child.postMessage(message),
      listen(onMessage, onEnd) {
        // Unchecked here: startJob checks every message against the protocol and the job kind's schemas.
        child.on('message', (message: unknown) => onMessage(message));
        child.on('exit', (code) => {
          running = false;
          onEnd(`job process ended unexpectedly (exit ${code})`);
        });
      },
      // A utility process does not end when its work does: its last message is in, so it is stopped.
      finished: () => void child.kill(),
      get connected() {
        return running;
      },
    };
  };
}
