/** What a training job takes, sends and returns (train-job.ts runs it; core/train/run-training.ts is the run). */
import { z } from 'zod';

const int = z.int().nonnegative();
/**
 * A measurement that may be NaN or infinite (a diverging run): z.number() refuses those, and a Node child's JSON
 * channel delivers them as null.
 */
const measured = z.custom<number | null>((v) => v === null || typeof v === 'number', 'expected a number or null');

/** core/train/run-training.ts's TrainingRunOptions (with trainer.ts's TrainerOptions). */
const TrainingRunOptionsSchema = z.object({
  size: z.int().positive(),
  support: z.int().positive(),
  batch: z.int().positive(),
  lr: z.number().positive(),
  warmup: int,
  steps: z.int().positive(),
  clipNorm: z.number().positive(),
  seed: int,
  augment: z.boolean(),
  bceWeight: z.number().nonnegative(),
  out: z.string(),
  resume: z.boolean(),
  data: z.array(z.string()),
  syntheticWeight: z.number().nonnegative(),
  from: z.string().optional(),
  widths: z.int().positive().optional(),
  checkpointEvery: int,
  validateEvery: int,
  validationSets: int,
});

/** core/model/session.ts's EngineOptions, less onDevice (a function does not cross a process boundary). */
const EngineOptionsSchema = z.object({
  device: z.enum(['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu']).optional(),
  memoryArena: z.boolean().optional(),
  threads: z.int().positive().optional(),
});

export const TrainJobParamsSchema = z.object({ options: TrainingRunOptionsSchema, engine: EngineOptionsSchema.optional() });
export type TrainJobParams = z.infer<typeof TrainJobParamsSchema>;

/** A step as its loss (the curve), the rest of run-training's events as they are. */
export const TrainJobEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('step'), step: int, loss: measured, stepsPerSecond: measured }),
  z.object({
    type: z.literal('dataset'),
    name: z.string(),
    tasks: int,
    skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  }),
  z.object({ type: z.literal('validation'), step: int, dice: measured }),
  z.object({ type: z.literal('checkpoint'), step: int, dir: z.string() }),
]);
export type TrainJobEvent = z.infer<typeof TrainJobEventSchema>;

/** The step the run ended at. */
export const TrainJobResultSchema = z.object({ step: int });
