/** What a propagation across a folder's 2D images takes, sends and returns (propagate-images-job.ts runs it). */
import { z } from 'zod';
import { EncodedPredictionSchema, StudyItemFilesSchema } from './job-schemas.js';

const int = z.int().nonnegative();

export const PropagateImagesJobParamsSchema = z.object({
  /** The support images and their projects' label maps, as saved just before the job started. */
  supports: z.array(z.object({ item: StudyItemFilesSchema, labelsFile: z.string() })),
  targets: z.array(z.object({ itemId: z.string(), item: StudyItemFilesSchema })),
  /** Label values to predict. */
  values: z.array(z.int().min(1).max(255)),
  supportSize: z.int().positive(),
  ensemble: z.int().positive(),
  seed: int,
  model: z.string(),
});
export type PropagateImagesJobParams = z.infer<typeof PropagateImagesJobParamsSchema>;

/** One finished image, sent to the host as it comes. */
export const PredictedImageEventSchema = EncodedPredictionSchema.extend({ type: z.literal('image'), itemId: z.string() });
export type PredictedImageEvent = z.infer<typeof PredictedImageEventSchema>;

/** `skipped`: each image that could not be read, with why. */
export const PropagateImagesJobResultSchema = z.object({ predicted: int, networkRuns: int, skipped: z.array(z.string()) });
