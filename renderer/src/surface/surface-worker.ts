/// <reference lib="webworker" />
import { labelSurface, type LabelSurface } from '../../../core/analysis/label-surface.js';
import { vtkPolys } from '../../../core/analysis/vtk-polys.js';
import { labelExtents } from '../../../core/data/label-extents.js';
import { labelFingerprints } from './label-fingerprints.js';
import type { SurfaceMeshMessage, SurfaceReply, SurfaceRequest } from './surface-protocol.js';

/**
 * Builds label surfaces off the main thread. Requests queue up; one that a newer request overtook is dropped
 * between labels (a label's surface is the unit of work), and surfaces of labels that did not change since the
 * last build with the same smoothing are reused.
 */
declare const self: DedicatedWorkerGlobalScope;

let latest: SurfaceRequest | null = null;
let running = false;
const cache = new Map<number, { key: string; surface: SurfaceMeshMessage }>();

self.onmessage = (event: MessageEvent<SurfaceRequest>) => {
  latest = event.data;
  if (!running) void drain();
};

async function drain(): Promise<void> {
  running = true;
  while (latest) {
    const request = latest;
    latest = null;
    try {
      const reply = await build(request);
      if (reply) post(reply);
    } catch (err) {
      post({ id: request.id, type: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  }
  running = false;
}

/** The surfaces for one request, or null when a newer request arrived first. */
async function build(request: SurfaceRequest): Promise<SurfaceReply | null> {
  const started = performance.now();
  const prints = labelFingerprints(request.grid.data);
  const wanted = request.values.filter((v) => prints.has(v));
  const boxes = wanted.some((v) => cache.get(v)?.key !== keyOf(request, prints, v))
    ? labelExtents(request.grid)
    : new Map<number, number[]>();
  const surfaces: SurfaceMeshMessage[] = [];
  let rebuilt = 0;
  for (const value of wanted) {
    const key = keyOf(request, prints, value);
    let entry = cache.get(value);
    if (entry?.key !== key) {
      // Let a newer request in before the next label: it makes this one stale.
      await new Promise((resolve) => setTimeout(resolve));
      if (latest) return null;
      entry = { key, surface: forVtk(key, labelSurface(request.grid, value, boxes.get(value)!, { smoothing: request.smoothing })) };
      cache.set(value, entry);
      rebuilt++;
    }
    surfaces.push(entry.surface);
  }
  for (const value of cache.keys()) if (!prints.has(value)) cache.delete(value);
  return { id: request.id, type: 'done', surfaces, ms: performance.now() - started, rebuilt };
}

/** A surface depends on the label's voxels, the grid's geometry and the smoothing. */
function keyOf(request: SurfaceRequest, prints: Map<number, string>, value: number): string {
  const { size, spacing, origin, direction } = request.grid;
  return JSON.stringify([prints.get(value), size, spacing, origin, direction, request.smoothing]);
}

function forVtk(key: string, { value, points, normals, triangles }: LabelSurface): SurfaceMeshMessage {
  return { value, key, points, normals, polys: vtkPolys(triangles) };
}

function post(reply: SurfaceReply): void {
  // Copies go back (the cache keeps its own arrays for the next build).
  self.postMessage(reply);
}
