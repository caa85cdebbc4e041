import fs from 'node:fs/promises';
import path from 'node:path';
import { configFromMetadata, configToMetadata, paramSpecs, UNIVERSEG_V1, type ModelConfig } from './config.js';
import type { Weights } from './inference-graph.js';
import { readSafetensors, writeSafetensors } from './safetensors.js';
import { readTorchCheckpoint } from './torch-checkpoint.js';
import { writeFileAtomic } from '../util/write-file-atomic.js';

export interface WeightsFile {
  config: ModelConfig;
  weights: Weights;
  metadata: Record<string, string>;
}

/** Reads .safetensors (ours or any with the reference names) or a PyTorch .pt state dict, and checks it fits. */
export async function readWeightsFile(file: string): Promise<WeightsFile> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    throw new Error(`${file}: cannot read model file (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
  const ext = path.extname(file).toLowerCase();
  let result: WeightsFile;
  if (ext === '.pt' || ext === '.pth') {
    result = { config: UNIVERSEG_V1, weights: readTorchCheckpoint(bytes, file), metadata: {} };
  } else {
    const { tensors, metadata } = readSafetensors(bytes, file);
    result = { config: configFromMetadata(metadata, file), weights: tensors, metadata };
  }
  checkWeights(result.config, result.weights, file);
  return result;
}

export function checkWeights(config: ModelConfig, weights: Weights, source: string): void {
  const specs = paramSpecs(config);
  const expected = new Set(specs.map((s) => s.name));
  const problems: string[] = [];
  for (const spec of specs) {
    const t = weights.get(spec.name);
    if (!t) problems.push(`missing ${spec.name}`);
    else if (t.shape.join(',') !== spec.shape.join(',')) {
      problems.push(`${spec.name} has shape [${t.shape}], expected [${spec.shape}]`);
    }
  }
  for (const name of weights.keys()) if (!expected.has(name)) problems.push(`unexpected tensor ${name}`);
  if (problems.length) {
    const shown = problems.slice(0, 8).join('; ');
    const more = problems.length > 8 ? `; and ${problems.length - 8} more` : '';
    throw new Error(`${source}: weights do not fit the model configuration: ${shown}${more}`);
  }
}

export async function writeWeightsFile(
  file: string,
  config: ModelConfig,
  weights: Weights,
  metadata: Record<string, string> = {},
): Promise<void> {
  checkWeights(config, weights, file);
  const ordered = new Map(paramSpecs(config).map((s) => [s.name, weights.get(s.name)!]));
  await writeFileAtomic(file, writeSafetensors(ordered, { ...metadata, ...configToMetadata(config) }));
}
