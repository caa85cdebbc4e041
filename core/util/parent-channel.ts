/**
 * A child process's side of the channel to the process that started it: an Electron utility process's parentPort,
 * else Node's process IPC. Typed arrays cross as they are where messages are structured clones (a utility process,
 * or a Node child forked with serialization 'advanced'); Node's default is JSON.
 */
export interface ParentChannel {
  /** Resolves once the message is handed over (a Node child that exits sooner can lose it). */
  send(message: unknown): Promise<void>;
  onMessage(listener: (message: unknown) => void): void;
  /** Lets a Node child exit once its work is done; a utility process is ended by its parent instead. */
  release(): void;
}

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

export function parentChannel(): ParentChannel {
  const parentPort = (process as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: async (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
      release: () => undefined,
    };
  }
  return {
    send: (message) => new Promise<void>((resolve) => process.send!(message, undefined, {}, () => resolve())),
    onMessage: (listener) => process.on('message', listener),
    release: () => process.disconnect(),
  };
}
