import fs from 'node:fs/promises';
import path from 'node:path';
import { UNIVERSEG_V1, validateConfig, type ModelConfig } from '../model/config.js';
import { initialWeights } from '../model/init.js';
import type { EngineOptions } from '../model/session.js';
import { readWeightsFile } from '../model/weights-file.js';
import { Random } from '../util/random.js';
import type { ExampleSet } from './augment/example-set.js';
import { defaultAugmentationConfig } from './augment/index.js';
import { augmentEachPair, type WeightedSource } from './batch.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { loadDatasetSource } from './dataset-source.js';
import { syntheticSource } from './synthetic-source.js';
import { Trainer, type StepResult, type TrainerOptions } from './trainer.js';

export interface TrainingRunOptions extends TrainerOptions {
  out: string;
  /** Continue the run saved in `out`. */
  resume: boolean;
  /** Dataset folders or manifests (MegaMedical-style real tasks). */
  data: string[];
  syntheticWeight: number;
  /** Share of propagation-like real sets with their examples registered onto the query (DatasetSourceOptions). */
  carriedSupport?: number;
  /** Start from these weights instead of a fresh network (fine-tuning). */
  from?: string;
  /** Widths of a fresh network; ignored when starting from weights. */
  widths?: number;
  checkpointEvery: number;
  validateEvery: number;
  validationSets: number;
}

export type TrainingEvent =
  | { type: 'dataset'; name: string; tasks: number; skipped: { path: string; reason: string }[] }
  | { type: 'step'; result: StepResult; stepsPerSecond: number }
  | { type: 'validation'; step: number; dice: number }
  | { type: 'checkpoint'; step: number; dir: string };

/** Seeds of the held-out synthetic validation tasks live far from any training seed stream. */
const VALIDATION_SEED = 0x7a11d;
export const LOG_FILE = 'log.jsonl';

export async function runTraining(
  options: TrainingRunOptions,
  onEvent: (e: TrainingEvent) => void,
  signal?: AbortSignal,
  engine: EngineOptions = {},
): Promise<{ step: number }> {
  const sources: WeightedSource[] = [];
  if (options.syntheticWeight > 0) sources.push({ source: syntheticSource, weight: options.syntheticWeight });
  const realWeight = options.data.length ? 1 : 0;
  for (const dir of options.data) {
    const { source, skipped } = await loadDatasetSource(dir, { carriedSupport: options.carriedSupport });
    onEvent({ type: 'dataset', name: source.name, tasks: source.taskCount, skipped });
    if (source.taskCount > 0) sources.push({ source, weight: realWeight / options.data.length });
  }

  let trainer: Trainer;
  if (options.resume) {
    const state = await loadCheckpoint(options.out);
    trainer = await Trainer.create(state, options, sources, engine);
  } else {
    trainer = await Trainer.create(await startingWeights(options), options, sources, engine);
  }
  const validation = validationSets(options);
  const logPath = path.join(options.out, LOG_FILE);
  await fs.mkdir(options.out, { recursive: true });
  const log = (entry: object) => fs.appendFile(logPath, `${JSON.stringify(entry)}\n`);
  const checkpoint = async () => {
    await saveCheckpoint(options.out, trainer.snapshot());
    onEvent({ type: 'checkpoint', step: trainer.step, dir: options.out });
  };

  const window: number[] = [];
  try {
    while (trainer.step < options.steps && !signal?.aborted) {
      const result = await trainer.trainStep();
      window.push(result.ms);
      if (window.length > 20) window.shift();
      const stepsPerSecond = 1000 / (window.reduce((a, b) => a + b, 0) / window.length);
      onEvent({ type: 'step', result, stepsPerSecond });
      await log({
        step: result.step,
        size: result.size,
        loss: result.loss,
        diceLoss: result.diceLoss,
        gradNorm: result.gradNorm,
        lr: result.lr,
        ms: Math.round(result.ms),
      });
      if (options.validateEvery > 0 && result.step % options.validateEvery === 0) {
        const dice = await trainer.validate(validation);
        onEvent({ type: 'validation', step: result.step, dice });
        await log({ step: result.step, validationDice: dice });
      }
      if (options.checkpointEvery > 0 && result.step % options.checkpointEvery === 0) await checkpoint();
    }
    // Ctrl-C and the end of the run both leave a checkpoint of the last completed step.
    await checkpoint();
    return { step: trainer.step };
  } finally {
    await trainer.release();
  }
}

async function startingWeights(options: TrainingRunOptions) {
  if (options.from) {
    const file = await readWeightsFile(options.from);
    const windowSize = options.windowSize ?? file.config.windowSize;
    return { config: validateConfig({ ...file.config, inputSize: options.size, windowSize }, 'training options'), weights: file.weights };
  }
  const width = options.widths ?? 64;
  const config: ModelConfig = validateConfig(
    {
      ...UNIVERSEG_V1,
      encoderWidths: UNIVERSEG_V1.encoderWidths.map(() => width),
      decoderWidths: UNIVERSEG_V1.decoderWidths.map(() => width),
      inputSize: options.size,
      windowSize: options.windowSize,
    },
    'training options',
  );
  return { config, weights: initialWeights(config, options.seed) };
}

/**
 * Fixed held-out synthetic tasks: same sets at every validation, never drawn by training. Each pair gets the
 * in-task augmentation: without it the examples of a task differ so little that copying the support mean scores
 * ~85 Dice, and the validation would measure nothing beyond that.
 */
function validationSets(options: TrainingRunOptions): ExampleSet[] {
  const rng = new Random(VALIDATION_SEED);
  const augmentation = defaultAugmentationConfig();
  return Array.from({ length: options.validationSets }, () =>
    augmentEachPair(rng, syntheticSource.sampleSet(rng, options.size, options.support), options.size, augmentation),
  );
}
