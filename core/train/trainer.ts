import type ort from 'onnxruntime-node';
import type { ModelConfig } from '../model/config.js';
import type { Weights } from '../model/inference-graph.js';
import { Model } from '../model/model.js';
import { createSession, floatTensor, run, type EngineOptions } from '../model/session.js';
import { Random } from '../util/random.js';
import { defaultAugmentationConfig } from './augment/index.js';
import type { ExampleSet } from './augment/example-set.js';
import { sampleBatch, type TrainingBatch, type WeightedSource } from './batch.js';
import type { TrainingState } from './checkpoint.js';
import { learningRate } from './schedule.js';
import { buildTrainingModel, io, trainableParams } from './training-graph.js';

export interface TrainerOptions {
  size: number;
  support: number;
  batch: number;
  /** Peak learning rate (Adam). */
  lr: number;
  warmup: number;
  /** Total steps of the run: the end of the cosine decay. */
  steps: number;
  clipNorm: number;
  seed: number;
  augment: boolean;
  /** Probability that a task's images go through a random intensity curve (intensity-curve.ts); default 0. */
  intensityCurves?: number;
  /** Probability that a task becomes a painted thin structure (thin-structure.ts); default 0. */
  thinStructures?: number;
  /** Probability that a task's images carry one modality's noise (modality-noise.ts); default 0. */
  modalityNoise?: number;
  /** Weight of the cross-entropy term added to soft Dice (see TrainingGraphOptions.bceWeight). */
  bceWeight: number;
  /**
   * The side the trained file runs the network at in windows around a structure (ModelConfig.windowSize), where it
   * differs from `size`: training at one size alone moves the network's skill at the other (a 128-px stage lost
   * up to 0.5 Dice in 64-px propagation windows, MODEL_CARD.md), so a share of the steps trains at this one.
   */
  windowSize?: number;
  /** Share of steps at windowSize (0..1); default 0. */
  windowShare?: number;
}

export interface StepResult {
  step: number;
  /** The image size this step trained at. */
  size: number;
  loss: number;
  diceLoss: number;
  gradNorm: number;
  lr: number;
  ms: number;
  sources: string[];
}

/** Runs Algorithm 1 one step at a time on the generated training graph; owns the weights, moments and RNG. */
export class Trainer {
  private constructor(
    /** One generated training graph per image size the run trains at: the weights are fed to whichever runs. */
    private readonly sessions: ReadonlyMap<number, ort.InferenceSession>,
    private state: TrainingState,
    readonly options: TrainerOptions,
    private readonly sources: readonly WeightedSource[],
    private readonly rng: Random,
    private readonly engine: EngineOptions,
  ) {}

  /** A new run from `weights` (fresh or a model to fine-tune), or the continuation of a saved state. */
  static async create(
    from: { config: ModelConfig; weights: Weights } | TrainingState,
    options: TrainerOptions,
    sources: readonly WeightedSource[],
    engine: EngineOptions = {},
  ): Promise<Trainer> {
    if (!sources.length || sources.every((s) => !(s.weight > 0)))
      throw new Error('training needs at least one task source with a positive weight');
    const state: TrainingState =
      'step' in from
        ? from
        : {
            config: from.config,
            weights: new Map([...from.weights].map(([k, t]) => [k, { shape: t.shape, data: Float32Array.from(t.data) }])),
            adamM: zerosLike(from.weights),
            adamV: zerosLike(from.weights),
            step: 0,
            rngState: new Random(options.seed).state(),
            options: { ...options },
          };
    const sessions = new Map<number, ort.InferenceSession>();
    for (const size of new Set([options.size, ...(windowShare(options) > 0 ? [options.windowSize!] : [])])) {
      const shape = { batch: options.batch, support: options.support, size };
      const graph = buildTrainingModel(state.config, shape, { optimizer: true, gradients: false, bceWeight: options.bceWeight });
      sessions.set(size, (await createSession(graph, engine)).session);
    }
    return new Trainer(sessions, state, options, sources, new Random(state.rngState), engine);
  }

  get step(): number {
    return this.state.step;
  }

  /** A copy-free view of the current state, for checkpoints. */
  snapshot(): TrainingState {
    return { ...this.state, rngState: this.rng.state() };
  }

  nextBatch(): TrainingBatch {
    const { batch, support, augment } = this.options;
    // No draw without a window share, so runs without one resume bit for bit as before.
    const share = windowShare(this.options);
    const size = share > 0 && this.rng.chance(share) ? this.options.windowSize! : this.options.size;
    return sampleBatch(this.rng, this.sources, { batch, support, size }, augment ? augmentation(this.options) : null);
  }

  async trainStep(): Promise<StepResult> {
    const started = performance.now();
    const batch = this.nextBatch();
    const step = this.state.step + 1;
    const { lr: peak, warmup, steps, clipNorm } = this.options;
    const lr = learningRate(step, peak, warmup, steps);
    const { batch: B, support: N, size: S } = batch;
    const feeds: Record<string, ort.Tensor> = {
      query: floatTensor(batch.query, [B, 1, S, S]),
      query_label: floatTensor(batch.queryLabel, [B, 1, S, S]),
      support_images: floatTensor(batch.supportImages, [B, N, 1, S, S]),
      support_labels: floatTensor(batch.supportLabels, [B, N, 1, S, S]),
      lr: floatTensor(Float32Array.of(lr), []),
      step: floatTensor(Float32Array.of(step), []),
      clip_norm: floatTensor(Float32Array.of(clipNorm), []),
    };
    const specs = trainableParams(this.state.config);
    for (const s of specs) {
      feeds[io.param(s.name)] = floatTensor(this.state.weights.get(s.name)!.data, s.shape);
      feeds[io.m(s.name)] = floatTensor(this.state.adamM.get(s.name)!.data, s.shape);
      feeds[io.v(s.name)] = floatTensor(this.state.adamV.get(s.name)!.data, s.shape);
    }
    const out = await run(this.sessions.get(S)!, feeds);
    const loss = out.loss![0]!;
    if (!Number.isFinite(loss)) throw new Error(`training diverged at step ${step}: loss is ${loss}`);
    for (const s of specs) {
      this.state.weights.set(s.name, { shape: s.shape, data: out[io.newParam(s.name)]! });
      this.state.adamM.set(s.name, { shape: s.shape, data: out[io.newM(s.name)]! });
      this.state.adamV.set(s.name, { shape: s.shape, data: out[io.newV(s.name)]! });
    }
    this.state.step = step;
    return {
      step,
      size: S,
      loss,
      diceLoss: out.dice_loss![0]!,
      gradNorm: out.grad_norm![0]!,
      lr,
      ms: performance.now() - started,
      sources: batch.sources,
    };
  }

  /** Mean Dice (threshold 0.5) of the current weights over fixed validation sets. */
  async validate(sets: readonly ExampleSet[]): Promise<number> {
    const model = new Model(this.state.config, this.state.weights, this.engine);
    try {
      let total = 0;
      for (const set of sets) {
        const S = this.options.size;
        const n = set.support.length;
        const logits = await model.logits({
          query: set.query,
          supportImages: concat(set.support.map((p) => p.image)),
          supportLabels: concat(set.support.map((p) => p.label)),
          batch: 1,
          support: n,
          height: S,
          width: S,
        });
        total += hardDice(logits, set.queryLabel);
      }
      return sets.length ? total / sets.length : NaN;
    } finally {
      await model.release();
    }
  }

  async release(): Promise<void> {
    for (const session of this.sessions.values()) await session.release();
  }
}

function windowShare(options: TrainerOptions): number {
  return options.windowSize !== undefined && options.windowSize !== options.size ? (options.windowShare ?? 0) : 0;
}

function zerosLike(weights: Weights): Weights {
  return new Map([...weights].map(([k, t]) => [k, { shape: t.shape, data: new Float32Array(t.data.length) }]));
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Dice of logits > 0 against a binary label; 1 when both are empty. */
export function hardDice(logits: Float32Array, label: Float32Array): number {
  let inter = 0;
  let pred = 0;
  let truth = 0;
  for (let i = 0; i < logits.length; i++) {
    const p = logits[i]! > 0 ? 1 : 0;
    const y = label[i]! > 0.5 ? 1 : 0;
    inter += p * y;
    pred += p;
    truth += y;
  }
  return pred + truth === 0 ? 1 : (2 * inter) / (pred + truth);
}

function augmentation(options: TrainerOptions) {
  const config = defaultAugmentationConfig();
  config.task.intensityCurve.p = options.intensityCurves ?? 0;
  config.task.thinStructure.p = options.thinStructures ?? 0;
  config.task.modalityNoise.p = options.modalityNoise ?? 0;
  return config;
}
