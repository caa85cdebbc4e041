import type { JobProcess, LaunchJobProcess } from '../core/jobs/job-process.js';
import type { EngineMessage } from './engine-protocol.js';

/**
 * Job processes for the engine's process in the desktop app. Only Electron's main process can start utility
 * processes, and with the RunAsNode fuse off nothing else can start Node, so the engine asks main for each job
 * process (job-launch) and talks to it through main by ticket (job-send / job-message / job-end).
 */
export function relayedJobs(post: (message: EngineMessage) => void) {
  const routes = new Map<number, { message(message: unknown): void; end(why: string): void }>();
  let nextTicket = 1;

  const launch: LaunchJobProcess = (): JobProcess => {
    const ticket = nextTicket++;
    let connected = true;
    let onMessage: (message: unknown) => void = () => undefined;
    let onEnd: (why: string) => void = () => undefined;
    routes.set(ticket, {
      message: (message) => onMessage(message),
      end(why) {
        connected = false;
        routes.delete(ticket);
        onEnd(why);
      },
    });
    post({ type: 'job-launch', ticket });
    return {
      send: (message) => post({ type: 'job-send', ticket, message }),
      listen(message, end) {
        onMessage = message;
        onEnd = end;
      },
      finished: () => post({ type: 'job-finished', ticket }),
      get connected() {
        return connected;
      },
    };
  };

  return {
    launch,
    /** A message from job `ticket`'s process, as main passed it on. */
    message: (ticket: number, message: unknown) => routes.get(ticket)?.message(message),
    /** Job `ticket`'s process ended. */
    end: (ticket: number, why: string) => routes.get(ticket)?.end(why),
  };
}
