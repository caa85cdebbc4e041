import { fork } from 'node:child_process';
import { ENGINE_PROCESS } from '../../electron/engine-launch.js';
import type { EngineHostConfig } from '../../electron/engine-protocol.js';
import type { EngineLink } from '../../electron/engine-relay.js';

/**
 * The desktop app's engine process as a Node child (no Electron binary here): the same entry, with messages as
 * structured clones as a utility process has them.
 */
export function forkEngineLink(config: EngineHostConfig): EngineLink {
  const child = fork(ENGINE_PROCESS, [JSON.stringify(config)], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    post: (message) => child.send(message),
    listen(onMessage, onExit) {
      child.on('message', onMessage);
      child.on('exit', (code, signal) => onExit(signal ?? `exit ${code}`));
    },
    kill: () => void child.kill(),
  };
}
