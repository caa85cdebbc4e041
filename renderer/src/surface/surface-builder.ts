import type { LabelGrid } from '../../../core/analysis/label-surface.js';
import type { SurfaceMeshMessage, SurfaceReply, SurfaceRequest } from './surface-protocol.js';

export interface BuiltSurfaces {
  surfaces: SurfaceMeshMessage[];
  /** Worker time for the build. */
  ms: number;
  /** Labels whose surface was built afresh (the others were unchanged). */
  rebuilt: number;
}

/**
 * The main thread's side of the surface worker: one worker per view, requests numbered so that only the newest
 * one's answer is taken (an overtaken request resolves null, and the worker drops it between labels).
 */
export class SurfaceBuilder {
  private readonly worker = new Worker(new URL('./surface-worker.ts', import.meta.url), { type: 'module' });
  private next = 0;
  private readonly pending = new Map<number, (reply: SurfaceReply | null) => void>();
  private readonly posted = new Map<number, number>();

  constructor() {
    this.worker.onmessage = (event: MessageEvent<SurfaceReply>) => {
      const reply = event.data;
      const start = this.posted.get(reply.id);
      this.posted.delete(reply.id);
      // Every build the worker finished, taken or overtaken, as a performance entry (the speed test reads them).
      if (reply.type === 'done' && start !== undefined)
        performance.measure('surface-worker', { start, detail: { workerMs: reply.ms, rebuilt: reply.rebuilt } });
      this.settle(reply.id, reply);
    };
    this.worker.onerror = (event) => this.failAll(event.message || 'the surface worker failed to start');
  }

  /** The surfaces of `values`; the label map's buffer is handed to the worker (not copied): do not use it after. */
  async build(grid: LabelGrid, values: number[], smoothing: number): Promise<BuiltSurfaces | null> {
    const id = ++this.next;
    // Everything older is stale now.
    for (const older of [...this.pending.keys()]) this.settle(older, null);
    const reply = new Promise<SurfaceReply | null>((resolve) => this.pending.set(id, resolve));
    const request: SurfaceRequest = { id, grid, values, smoothing };
    this.posted.set(id, performance.now());
    this.worker.postMessage(request, [grid.data.buffer]);
    const answer = await reply;
    if (!answer) return null;
    if (answer.type === 'error') throw new Error(answer.message);
    return { surfaces: answer.surfaces, ms: answer.ms, rebuilt: answer.rebuilt };
  }

  dispose(): void {
    this.worker.terminate();
    for (const id of [...this.pending.keys()]) this.settle(id, null);
  }

  private settle(id: number, reply: SurfaceReply | null): void {
    const resolve = this.pending.get(id);
    this.pending.delete(id);
    resolve?.(reply);
  }

  private failAll(message: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, { id, type: 'error', message });
  }
}
