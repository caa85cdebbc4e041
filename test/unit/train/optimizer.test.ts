import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateConfig, UNIVERSEG_V1 } from '../../../core/model/config.js';
import { initialWeights } from '../../../core/model/init.js';
import { createSession, floatTensor, run } from '../../../core/model/session.js';
import { Random } from '../../../core/util/random.js';
import { ADAM, buildTrainingModel, io, trainableParams } from '../../../core/train/training-graph.js';

const tiny = validateConfig({ ...UNIVERSEG_V1, encoderWidths: [4, 4], decoderWidths: [4], inputSize: 8 }, 'tiny');
const shape = { batch: 2, support: 3, size: 8 };

function tinyFeeds(seed: number) {
  const rng = new Random(seed);
  const field = (n: number, binary: boolean) => Float32Array.from({ length: n }, () => (binary ? (rng.chance(0.4) ? 1 : 0) : rng.next()));
  const plane = 64;
  return {
    query: floatTensor(field(2 * plane, false), [2, 1, 8, 8]),
    query_label: floatTensor(field(2 * plane, true), [2, 1, 8, 8]),
    support_images: floatTensor(field(6 * plane, false), [2, 3, 1, 8, 8]),
    support_labels: floatTensor(field(6 * plane, true), [2, 3, 1, 8, 8]),
  };
}

describe('training graph on a tiny network', () => {
  for (const bceWeight of [0, 0.5])
    it(`has gradients that agree with central finite differences of the loss (cross-entropy weight ${bceWeight})`, async () => {
      const { session } = await createSession(buildTrainingModel(tiny, shape, { optimizer: false, gradients: true, bceWeight }), {
        device: 'cpu',
      });
      const weights = initialWeights(tiny, 3);
      const specs = trainableParams(tiny);
      const data = tinyFeeds(7);
      const lossAt = async (offset: (name: string, i: number) => number) => {
        const feeds: Record<string, ReturnType<typeof floatTensor>> = { ...data };
        for (const s of specs) {
          const w = weights.get(s.name)!.data;
          feeds[io.param(s.name)] = floatTensor(
            w.map((x, i) => x + offset(s.name, i)),
            s.shape,
          );
        }
        return run(session, feeds);
      };
      const base = await lossAt(() => 0);
      const rng = new Random(11);
      // Directions over all parameters at once, so each check covers every VJP together: the gradient itself (the
      // strongest signal) and random ones.
      const flat = specs.flatMap((s) => [...base[io.grad(s.name)]!]);
      // Scaled to the norm of a random normal direction, so every trial perturbs the weights equally far.
      const toRandomNorm = Math.sqrt(flat.length / flat.reduce((a, g) => a + g * g, 0));
      for (let trial = 0; trial < 3; trial++) {
        const direction = new Map(
          specs.map((s) => [
            s.name,
            trial === 0
              ? Float32Array.from(base[io.grad(s.name)]!, (g) => g * toRandomNorm)
              : Float32Array.from({ length: weights.get(s.name)!.data.length }, () => rng.normal()),
          ]),
        );
        const eps = 1e-4; // small enough not to cross LeakyReLU kinks or max-pool switches
        const plus = (await lossAt((n, i) => eps * direction.get(n)![i]!)).loss![0]!;
        const minus = (await lossAt((n, i) => -eps * direction.get(n)![i]!)).loss![0]!;
        const numeric = (plus - minus) / (2 * eps);
        let analytic = 0;
        for (const s of specs) {
          const g = base[io.grad(s.name)]!;
          const d = direction.get(s.name)!;
          for (let i = 0; i < g.length; i++) analytic += g[i]! * d[i]!;
        }
        // Float32 losses resolve about 1e-7: divided by 2·eps, that is a floor of ~1e-3 on the numeric derivative.
        assert.ok(trial > 0 || Math.abs(analytic) > 0.05, `the gradient direction is too weak to test (${analytic})`);
        assert.ok(
          Math.abs(numeric - analytic) <= 0.02 * Math.abs(analytic) + 1e-3,
          `direction ${trial}: numeric ${numeric} vs analytic ${analytic}`,
        );
      }
      await session.release();
    });

  for (const clip of [1e6, 0.05]) {
    it(`takes the Adam step a hand computation gives (clip ${clip})`, async () => {
      const bytes = buildTrainingModel(tiny, shape, { optimizer: true, gradients: true });
      const { session } = await createSession(bytes, { device: 'cpu' });
      const weights = initialWeights(tiny, 5);
      const specs = trainableParams(tiny);
      const rng = new Random(2);
      const lr = 3e-3;
      const step = 4;
      const feeds: Record<string, ReturnType<typeof floatTensor>> = {
        ...tinyFeeds(9),
        lr: floatTensor(Float32Array.of(lr), []),
        step: floatTensor(Float32Array.of(step), []),
        clip_norm: floatTensor(Float32Array.of(clip), []),
      };
      const moments = new Map<string, { m: Float32Array; v: Float32Array }>();
      for (const s of specs) {
        const n = weights.get(s.name)!.data.length;
        const m = Float32Array.from({ length: n }, () => rng.normal() * 1e-3);
        const v = Float32Array.from({ length: n }, () => rng.next() * 1e-5);
        moments.set(s.name, { m, v });
        feeds[io.param(s.name)] = floatTensor(weights.get(s.name)!.data, s.shape);
        feeds[io.m(s.name)] = floatTensor(m, s.shape);
        feeds[io.v(s.name)] = floatTensor(v, s.shape);
      }
      const out = await run(session, feeds);
      await session.release();
      let sq = 0;
      for (const s of specs) for (const g of out[io.grad(s.name)]!) sq += g * g;
      const norm = Math.sqrt(sq);
      assert.ok(Math.abs(out.grad_norm![0]! - norm) <= 1e-4 * norm);
      const scale = Math.min(1, clip / (norm + 1e-6));
      if (clip < 1) assert.ok(scale < 1, 'the clipping case must clip');
      const { beta1, beta2, epsilon } = ADAM;
      let worst = 0;
      for (const s of specs) {
        const p = weights.get(s.name)!.data;
        const g = out[io.grad(s.name)]!;
        const { m, v } = moments.get(s.name)!;
        for (let i = 0; i < p.length; i++) {
          const gi = g[i]! * scale;
          const m2 = beta1 * m[i]! + (1 - beta1) * gi;
          const v2 = beta2 * v[i]! + (1 - beta2) * gi * gi;
          const expected = p[i]! - ((lr / (1 - beta1 ** step)) * m2) / (Math.sqrt(v2) / Math.sqrt(1 - beta2 ** step) + epsilon);
          worst = Math.max(
            worst,
            Math.abs(out[io.newParam(s.name)]![i]! - expected) / (lr + Math.abs(expected) * 1e-3),
            Math.abs(out[io.newM(s.name)]![i]! - m2) / (Math.abs(m2) + 1e-9),
            Math.abs(out[io.newV(s.name)]![i]! - v2) / (Math.abs(v2) + 1e-12),
          );
        }
      }
      assert.ok(worst < 1e-3, `worst relative deviation from the hand-computed Adam step: ${worst}`);
    });
  }
});
