/**
 * Batch segmentation of a study's volumes from its labelled ones (issue #16), as the UI sees it: the registration
 * knobs a caller may turn, each volume's state while the job runs, and the report it leaves. Pure: zod only.
 */
import { z } from 'zod';
import { Id } from './schemas.js';

/**
 * core/infer/volume-registration.ts's RegistrationSettings; every field optional in a request (the engine's
 * defaults fill the rest). Coarser, shorter registrations are for quick trials and tests.
 */
export const RegistrationSettingsSchema = z.object({
  reduction: z.int().min(1).max(8),
  affineIterations: z.int().min(1).max(2000),
  bsplineIterations: z.int().min(1).max(2000),
  affineResolutions: z.int().min(1).max(6),
  bsplineResolutions: z.int().min(1).max(6),
  gridSpacing: z.number().positive().max(200),
  samples: z.int().min(64).max(1_000_000),
});

/**
 * "Quick" registration in the app: images averaged down 4x, 20 iterations a stage, a coarse grid. Several times
 * faster than the engine's defaults, for a first look at a study or a test; not what the numbers of issue #16
 * were measured with.
 */
export const QUICK_REGISTRATION: RegistrationSettingsRequest = Object.freeze({
  reduction: 4,
  affineIterations: 20,
  bsplineIterations: 20,
  gridSpacing: 40,
  samples: 512,
});

/** Where a study volume stands in a batch: to do, running, written, done before with the same inputs, or left out. */
export const BatchVolumeStateSchema = z.enum(['waiting', 'running', 'written', 'resumed', 'skipped']);

export const BatchVolumeSchema = z.object({
  itemId: Id,
  state: BatchVolumeStateSchema,
  /** 0..1 of this volume's network runs. */
  progress: z.number().min(0).max(1),
  /** Why it was skipped. */
  note: z.string().optional(),
});

/** core/infer/batch-report.ts's BatchReportRow, with the study item it is about (null: a support file left out). */
export const BatchReportRowSchema = z.object({
  itemId: Id.nullable(),
  volume: z.string(),
  output: z.string().nullable(),
  status: z.enum(['segmented', 'resumed', 'skipped']),
  label: z.int().min(1).max(255).nullable(),
  name: z.string().nullable(),
  volumeMl: z.number().nonnegative().nullable(),
  firstSlice: z.int().nonnegative().nullable(),
  lastSlice: z.int().nonnegative().nullable(),
  meanUncertainty: z.number().min(0).max(1).nullable(),
  estimatedDice: z.number().min(0).max(1).nullable(),
  priorDice: z.number().min(0).max(1).nullable(),
  networkDice: z.number().min(0).max(1).nullable(),
  networkWeight: z.number().min(0).max(1).nullable(),
  seconds: z.number().nonnegative().nullable(),
  note: z.string(),
});

export const BatchReportSchema = z.object({
  /** The folder the label maps and the report were written to. */
  folder: z.string(),
  /** ISO 8601 time the report was written. */
  writtenAt: z.string(),
  supportSubjects: z.int().nonnegative(),
  rows: z.array(BatchReportRowSchema),
});

export type RegistrationSettingsRequest = Partial<z.infer<typeof RegistrationSettingsSchema>>;
export type BatchVolume = z.infer<typeof BatchVolumeSchema>;
export type BatchReportRow = z.infer<typeof BatchReportRowSchema>;
export type BatchReport = z.infer<typeof BatchReportSchema>;
