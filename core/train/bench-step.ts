import { UNIVERSEG_V1 } from '../model/config.js';
import { initialWeights } from '../model/init.js';
import type { DeviceRequest } from '../model/session.js';
import { Random } from '../util/random.js';
import { syntheticSource } from './synthetic-source.js';
import { Trainer } from './trainer.js';

/** Median ms per training step (batch 1, synthetic tasks, no augmentation) at one size and support. */
export async function benchTrainingStep(size: number, support: number, runs: number, device: DeviceRequest) {
  const config = { ...UNIVERSEG_V1, inputSize: size };
  const options = { size, support, batch: 1, lr: 1e-4, warmup: 0, steps: runs + 2, clipNorm: 1, seed: 0, augment: false, bceWeight: 0.5 };
  const trainer = await Trainer.create({ config, weights: initialWeights(config, 0) }, options, [{ source: syntheticSource, weight: 1 }], {
    device,
  });
  const sampleStart = performance.now();
  const rng = new Random(1);
  for (let i = 0; i < runs; i++) syntheticSource.sampleSet(rng, size, support);
  const sampleMs = (performance.now() - sampleStart) / runs;
  await trainer.trainStep();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await trainer.trainStep()).ms);
  await trainer.release();
  times.sort((a, b) => a - b);
  return {
    kind: 'train',
    size,
    support,
    batch: 1,
    msPerStep: Math.round(times[Math.floor(times.length / 2)]!),
    msPerSyntheticSet: Math.round(sampleMs * 10) / 10,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}
