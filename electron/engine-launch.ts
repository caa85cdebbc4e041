import { fileURLToPath } from 'node:url';
import type { EngineHostConfig } from './engine-protocol.js';
import type { EngineLink } from './engine-relay.js';
import type { ForkUtility } from './job-process.js';
import { siblingModule } from '../core/util/sibling-module.js';

/** The engine process's module (TypeScript where the app runs from sources: tests, tools). */
export const ENGINE_PROCESS = fileURLToPath(siblingModule(import.meta.url, 'engine-process'));

/** The desktop app's engine as an Electron utility process (not child_process.fork: the RunAsNode fuse is off). */
export function utilityEngineLink(fork: ForkUtility, config: EngineHostConfig): EngineLink {
  const child = fork(ENGINE_PROCESS, [JSON.stringify(config)], { serviceName: 'UniverSeg engine', stdio: 'inherit' });
  return {
    post: (message) => child.postMessage(message),
    listen(onMessage, onExit) {
      child.on('message', (message: unknown) => onMessage(message));
      child.on('exit', (code) => onExit(`exit ${code}`));
    },
    kill: () => void child.kill(),
  };
}
