import { Worker } from 'node:worker_threads';
import type { LabelVolume, Volume } from '../data/volume.js';
import { siblingModule, workerImportCode } from '../util/sibling-module.js';
import type { MapWriteReply, MapWriteRequest } from './map-writer-worker.js';

type Pending = { resolve: () => void; reject: (err: Error) => void };

/**
 * Writes project maps (label map, uncertainty) from a worker thread: compressing a large map takes seconds, and the
 * engine's thread must answer the UI meanwhile. One worker, started on first use; it keeps the process alive only
 * while a write is under way, so that an exit never cuts a save short.
 */
class MapWriter {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /** Writes `map` (a copy: the next stroke may land while the worker encodes) atomically, as the data writers do. */
  write(kind: 'labels', file: string, map: LabelVolume, protect: readonly string[]): Promise<void>;
  write(kind: 'float', file: string, map: Volume, protect: readonly string[]): Promise<void>;
  write(kind: 'labels' | 'float', file: string, map: LabelVolume | Volume, protect: readonly string[]): Promise<void> {
    const worker = this.start();
    const id = this.nextId++;
    const data = map.data.slice();
    const request = { id, kind, file, map: { ...map, data }, protect: [...protect] } as MapWriteRequest;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage(request, [data.buffer]);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = spawnWorker();
    worker.on('message', (reply: MapWriteReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.error === undefined) waiting?.resolve();
      else waiting?.reject(new Error(reply.error));
    });
    const fail = (err: Error) => {
      this.worker = null;
      for (const waiting of this.pending.values()) waiting.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the map writer stopped (exit code ${code})`)));
    // Listeners ref a worker: unref it after adding them, until a write asks otherwise.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

/** From the sources (tests, tsx) the worker is TypeScript too, and needs tsx's loader in its own thread. */
function spawnWorker(): Worker {
  const entry = siblingModule(import.meta.url, 'map-writer-worker');
  return entry.pathname.endsWith('.ts') ? new Worker(workerImportCode(entry), { eval: true }) : new Worker(entry);
}

export const mapWriter = new MapWriter();
