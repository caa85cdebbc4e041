import fs from 'node:fs/promises';
import path from 'node:path';
import { configFromMetadata, configToMetadata, paramSpecs, type ModelConfig } from '../model/config.js';
import type { Weights } from '../model/inference-graph.js';
import { readSafetensors, writeSafetensors } from '../model/safetensors.js';
import { checkWeights, writeWeightsFile } from '../model/weights-file.js';
import { writeFileAtomic } from '../util/write-file-atomic.js';
import { io } from './training-graph.js';

/** Everything needed to continue a run exactly where it stopped. */
export interface TrainingState {
  config: ModelConfig;
  weights: Weights;
  adamM: Weights;
  adamV: Weights;
  step: number;
  rngState: Uint32Array;
  /** The run's options, so a resume can check it continues the same run. */
  options: Record<string, unknown>;
}

export const CHECKPOINT_FILE = 'checkpoint.safetensors';
export const MODEL_FILE = 'model.safetensors';

/** Writes the checkpoint (weights, moments, RNG) and, beside it, the weights alone as a loadable model. */
export async function saveCheckpoint(dir: string, state: TrainingState, extra: Record<string, string> = {}): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const spec of paramSpecs(state.config)) {
    tensors.set(io.param(spec.name), state.weights.get(spec.name)!);
    tensors.set(io.m(spec.name), state.adamM.get(spec.name)!);
    tensors.set(io.v(spec.name), state.adamV.get(spec.name)!);
  }
  const metadata = {
    ...configToMetadata(state.config),
    'train.step': String(state.step),
    'train.rng': JSON.stringify([...state.rngState]),
    'train.options': JSON.stringify(state.options),
    ...extra,
  };
  await writeFileAtomic(path.join(dir, CHECKPOINT_FILE), writeSafetensors(tensors, metadata));
  await writeWeightsFile(path.join(dir, MODEL_FILE), state.config, state.weights, { 'train.step': String(state.step), ...extra });
}

export async function loadCheckpoint(dir: string): Promise<TrainingState> {
  const file = path.join(dir, CHECKPOINT_FILE);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    throw new Error(`${file}: cannot resume (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
  const { tensors, metadata } = readSafetensors(bytes, file);
  const config = configFromMetadata(metadata, file);
  const pick = (key: (name: string) => string): Weights =>
    new Map(paramSpecs(config).flatMap((s) => (tensors.has(key(s.name)) ? [[s.name, tensors.get(key(s.name))!]] : [])));
  const weights = pick(io.param);
  const adamM = pick(io.m);
  const adamV = pick(io.v);
  for (const [what, w] of [
    ['weights', weights],
    ['Adam first moments', adamM],
    ['Adam second moments', adamV],
  ] as const) {
    checkWeights(config, w, `${file} (${what})`);
  }
  const step = Number(metadata['train.step']);
  const rng = JSON.parse(metadata['train.rng'] ?? 'null') as unknown;
  if (!Number.isInteger(step) || !Array.isArray(rng) || rng.length !== 4) throw new Error(`${file}: missing training state metadata`);
  return {
    config,
    weights,
    adamM,
    adamV,
    step,
    rngState: Uint32Array.from(rng as number[]),
    options: JSON.parse(metadata['train.options'] ?? '{}') as Record<string, unknown>,
  };
}
