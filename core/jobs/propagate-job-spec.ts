/** What a propagation job takes, sends while it runs, and returns (propagate-job.ts runs it). */
import { z } from 'zod';
import { AxisSchema, PropagationReportSchema } from '../contract/schemas.js';
import { EncodedPredictionSchema, StudyItemFilesSchema } from './job-schemas.js';

const int = z.int().nonnegative();

export const PropagateJobParamsSchema = z.object({
  item: StudyItemFilesSchema,
  /** The project's label map as saved just before the job started. */
  labelsFile: z.string(),
  axis: AxisSchema,
  support: z.array(int),
  /** Slices the user painted but did not make support: left as they are. */
  painted: z.array(int),
  /** Label values to predict (the others are left out of the support slices). */
  values: z.array(z.int().min(1).max(255)),
  supportSize: z.int().positive(),
  ensemble: z.int().positive(),
  seed: int,
  networkWeight: z.number().min(0).max(1),
  /** Per label value, the slices it may be predicted on, as the user set them. */
  extents: z.array(z.object({ value: z.int().min(1).max(255), from: int, to: int })),
  model: z.string(),
  /** Where the whole result goes, atomically, once every slice is done. */
  predictionFile: z.string(),
  /** What each predicted slice was last predicted from: unchanged ones are kept, not predicted again. */
  previous: z.array(z.tuple([int, z.string()])),
  /** Only these slices (first, last) are predicted; default all. */
  range: z.tuple([int, int]).optional(),
});
export type PropagateJobParams = z.infer<typeof PropagateJobParamsSchema>;

/** One finished slice, sent to the host as it comes, with what it was predicted from. */
export const PredictedSliceEventSchema = EncodedPredictionSchema.extend({ type: z.literal('slice'), index: int, signature: z.string() });
export type PredictedSliceEvent = z.infer<typeof PredictedSliceEventSchema>;

export const PropagateJobResultSchema = z.object({
  predicted: int,
  unchanged: int,
  networkRuns: int,
  labelValues: z.array(z.int().min(1).max(255)),
  report: PropagationReportSchema,
});
