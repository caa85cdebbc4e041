import { z } from 'zod';
import { Id, JobProgressSchema, ProjectSchema } from './schemas.js';

/** What the engine pushes to the UI unasked (WebSocket in the browser, webContents.send in Electron). */
export const ApiEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job'), job: JobProgressSchema }),
  /** A project changed without the UI asking (a propagation job filled slices). */
  z.object({ type: z.literal('project'), project: ProjectSchema }),
  /** A training step of a job: the loss curve. */
  z.object({ type: z.literal('loss'), jobId: Id, step: z.int().nonnegative(), loss: z.number() }),
]);

export type ApiEvent = z.infer<typeof ApiEventSchema>;
