/** What a batch segmentation of a study's volumes takes, sends and returns (segment-volumes-job.ts runs it). */
import { z } from 'zod';
import { BatchReportRowSchema, BatchVolumeStateSchema, RegistrationSettingsSchema } from '../contract/batch.js';
import { SegmentDefSchema } from '../contract/schemas.js';

const int = z.int().nonnegative();

export const SegmentVolumesJobParamsSchema = z.object({
  /** The study folder, scanned again by the job (item ids are scanStudy's, as the engine's are). */
  study: z.string(),
  /** The folder the study's links and data files may not leave; absent where nothing is confined. */
  within: z.string().optional(),
  /** The labelled volumes: each item's image file, its project's label map as saved, its labels' names and colours. */
  supports: z.array(z.object({ itemId: z.string(), image: z.string(), labelsFile: z.string(), segments: z.array(SegmentDefSchema) })),
  /** Where the label maps, their run records and the report go. */
  out: z.string(),
  registration: RegistrationSettingsSchema,
  /** The network's weight for every label; absent: chosen per label by leave-one-out over the support. */
  networkWeight: z.number().min(0).max(1).optional(),
  seed: int,
  model: z.string(),
});
export type SegmentVolumesJobParams = z.infer<typeof SegmentVolumesJobParamsSchema>;

/** A study volume's state changed, or its network runs went on. */
export const BatchVolumeEventSchema = z.object({
  type: z.literal('volume'),
  input: z.string(),
  state: BatchVolumeStateSchema,
  progress: z.number().min(0).max(1),
  note: z.string().optional(),
});
export type BatchVolumeEvent = z.infer<typeof BatchVolumeEventSchema>;

export const SegmentVolumesJobResultSchema = z.object({ written: int, resumed: int, skipped: int, report: z.string() });

/** The report file the job writes (`report.json` in its output folder): read back by the engine. */
export const BatchReportFileSchema = z.object({
  writtenAt: z.string(),
  supportSubjects: int,
  rows: z.array(BatchReportRowSchema.omit({ itemId: true })),
});

/** The report's name in the output folder, beside `report.csv`. */
export const BATCH_REPORT_FILE = 'report.json';
