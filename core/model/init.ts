import { Random } from '../util/random.js';
import { paramSpecs, type ModelConfig } from './config.js';
import type { Weights } from './inference-graph.js';

/** Kaiming-normal weights (fan-in, the reference's gains) and zero biases: a fresh network to train. */
export function initialWeights(config: ModelConfig, seed: number): Weights {
  const rng = new Random(seed);
  const weights: Weights = new Map();
  for (const spec of paramSpecs(config)) {
    const data = new Float32Array(spec.shape.reduce((a, b) => a * b, 1));
    if (spec.shape.length === 4) {
      const fanIn = spec.shape[1]! * spec.shape[2]! * spec.shape[3]!;
      const std = spec.gain / Math.sqrt(fanIn);
      for (let i = 0; i < data.length; i++) data[i] = rng.normal() * std;
    }
    weights.set(spec.name, { shape: spec.shape, data });
  }
  return weights;
}
