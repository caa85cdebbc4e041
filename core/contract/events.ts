import { z } from 'zod';
import { BatchVolumeSchema } from './batch.js';
import { Id, JobProgressSchema, ProjectSchema } from './schemas.js';

/** What the engine pushes to the UI unasked (WebSocket in the browser, webContents.send in Electron). */
export const ApiEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job'), job: JobProgressSchema }),
  /** A project changed without the UI asking (a propagation job filled slices). */
  z.object({ type: z.literal('project'), project: ProjectSchema }),
  /** A training step of a job: the loss curve. */
  z.object({ type: z.literal('loss'), jobId: Id, step: z.int().nonnegative(), loss: z.number() }),
  /** A study volume's state or progress in a batch segmentation job (segmentRest). */
  z.object({ type: z.literal('batch'), jobId: Id, studyId: Id, volume: BatchVolumeSchema }),
]);

export type ApiEvent = z.infer<typeof ApiEventSchema>;
