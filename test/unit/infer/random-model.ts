import path from 'node:path';
import { readWeightsFile, writeWeightsFile } from '../../../core/model/weights-file.js';
import { Model } from '../../../core/model/model.js';
import { UNIVERSEG_FIXTURES } from '../../helpers/fixtures.js';

/**
 * The reference network with random weights, told to take 64x64 inputs (it is fully convolutional): 4x cheaper
 * than 128 where a test checks plumbing, not segmentation quality. One thread: training may share the machine.
 */
export async function randomModel64(): Promise<Model> {
  const file = await readWeightsFile(path.join(UNIVERSEG_FIXTURES, 'weights_random.safetensors'));
  return new Model({ ...file.config, inputSize: 64 }, file.weights, { device: 'cpu', threads: 1 });
}

/**
 * The same network taking whole images at twice its size and windows at its own: whatever runs in windows must give
 * exactly what `model` gives.
 */
export function windowedAtOwnSize(model: Model): Model {
  const config = { ...model.config, inputSize: 2 * model.config.inputSize, windowSize: model.config.inputSize };
  return new Model(config, model.weights, { device: 'cpu', threads: 1 });
}

/** The same model as a file, for the command line. */
export async function writeRandomModel64(file: string): Promise<string> {
  const model = await randomModel64();
  await writeWeightsFile(file, model.config, model.weights);
  return file;
}
