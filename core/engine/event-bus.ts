import type { ApiEvent } from '../contract/index.js';

/** Where the engine announces things the UI did not ask for (job progress); each host forwards them its own way. */
export interface ApiEvents {
  emit(event: ApiEvent): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: (event: ApiEvent) => void): () => void;
}

export function createEventBus(): ApiEvents {
  const listeners = new Set<(event: ApiEvent) => void>();
  return {
    emit(event) {
      for (const listener of [...listeners]) listener(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
