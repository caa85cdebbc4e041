import { parentPort } from 'node:worker_threads';
import type { LabelVolume, Volume } from '../data/volume.js';
import { writeLabelVolume } from '../data/write-label-volume.js';
import { writeFloatVolume } from '../infer/write-float-volume.js';

/** What the engine asks of its map-writing thread (map-writer.ts). */
export type MapWriteRequest =
  | { id: number; kind: 'labels'; file: string; map: LabelVolume; protect: string[] }
  | { id: number; kind: 'float'; file: string; map: Volume; protect: string[] };

export type MapWriteReply = { id: number; error?: string };

parentPort?.on('message', (request: MapWriteRequest) => {
  const write =
    request.kind === 'labels'
      ? writeLabelVolume(request.file, request.map, { protect: request.protect })
      : writeFloatVolume(request.file, request.map, request.protect);
  write.then(
    () => parentPort!.postMessage({ id: request.id } satisfies MapWriteReply),
    (err: unknown) =>
      parentPort!.postMessage({ id: request.id, error: err instanceof Error ? err.message : String(err) } satisfies MapWriteReply),
  );
});
