/** Pieces several job kinds' schemas share: a study item as a job reads it, and a prediction as it travels back. */
import { z } from 'zod';

const int = z.int().nonnegative();

/** core/data/scan-study.ts's StudyItem: what a job needs to read an item's files again. */
export const StudyItemFilesSchema = z.object({
  id: z.string(),
  kind: z.enum(['volume', 'image2d', 'dicom-series']),
  paths: z.array(z.string()),
  name: z.string(),
  size: z.tuple([int, int, int]).optional(),
  modality: z.string().optional(),
  within: z.string().optional(),
});

/** encoded-prediction.ts: a predicted slice or image with its label and spread bytes as base64 (messages are JSON). */
export const EncodedPredictionSchema = z.object({
  width: z.int().positive(),
  height: z.int().positive(),
  labels: z.string(),
  uncertainty: z.string(),
});
