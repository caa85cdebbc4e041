import assert from 'node:assert/strict';
import { test } from 'node:test';
import { augmentTask, defaultAugmentationConfig, type AugmentationConfig } from '../../../core/train/augment/index.js';
import { applyModalityNoise, NOISE_KINDS, type NoiseKind } from '../../../core/train/augment/modality-noise.js';
import { erode } from '../../../core/train/augment/morphology.js';
import { thinBand } from '../../../core/train/augment/thin-structure.js';
import { sampleSyntheticSet } from '../../../core/train/synthetic/index.js';
import { Random } from '../../../core/util/random.js';

const S = 64;

function nothing(): AugmentationConfig {
  const config = defaultAugmentationConfig();
  for (const group of [config.inTask, config.task]) for (const aug of Object.values(group)) aug.p = 0;
  return config;
}

const mean = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
const std = (a: ArrayLike<number>): number => Math.sqrt(mean(Array.from(a, (v) => (v - mean(a)) ** 2)));
const sum = (a: Float32Array): number => a.reduce((s, v) => s + v, 0);

function noisy(kind: NoiseKind, value: number, seed = 1): Float32Array {
  const image = new Float32Array(S * S).fill(value);
  return applyModalityNoise(new Random(seed), image, S, { kind, strength: 0.5, grain: 1 });
}

/** Correlation of horizontally adjacent pixels. */
function neighbourCorrelation(image: Float32Array): number {
  const m = mean(image);
  let cov = 0;
  let v = 0;
  for (let i = 0; i < image.length - 1; i++) {
    if ((i + 1) % S === 0) continue;
    cov += (image[i]! - m) * (image[i + 1]! - m);
    v += (image[i]! - m) ** 2;
  }
  return cov / v;
}

test('each modality noise has its own signature', () => {
  // Rician: a black image comes out brighter on average (the magnitude of noise is positive).
  assert.ok(mean(noisy('rician', 0)) > 0.02, 'Rician bias on black');
  // Speckle and photon noise scale with the signal: black stays black, bright gets noisier than dim.
  for (const kind of ['speckle', 'photon'] as const) {
    assert.equal(Math.max(...noisy(kind, 0)), 0, `${kind} on black`);
    assert.ok(std(noisy(kind, 0.6)) > 1.5 * std(noisy(kind, 0.15)), `${kind} grows with the signal`);
  }
  // Speckle and CT-like noise have a grain: adjacent pixels correlate; photon noise does not.
  assert.ok(neighbourCorrelation(noisy('speckle', 0.5)) > 0.3);
  assert.ok(neighbourCorrelation(noisy('correlated', 0.5)) > 0.3);
  assert.ok(Math.abs(neighbourCorrelation(noisy('photon', 0.5))) < 0.1);
  for (const kind of NOISE_KINDS) {
    const out = noisy(kind, 0.5);
    assert.ok(
      out.every((v) => v >= 0 && v <= 1),
      `${kind} stays in [0, 1]`,
    );
    assert.notDeepEqual(out, noisy(kind, 0.5, 2), `${kind} is drawn per image`);
  }
});

test('a task with modality noise keeps one kind for all its images and leaves labels alone', () => {
  const set = sampleSyntheticSet(new Random(4), S, 3);
  const config = nothing();
  config.task.modalityNoise.p = 1;
  const out = augmentTask(new Random(5), set, S, config);
  assert.deepEqual(out.queryLabel, set.queryLabel);
  assert.notDeepEqual(out.query, set.query);
  assert.ok([out.query, ...out.support.map((p) => p.image)].every((im) => im.every((v) => v >= 0 && v <= 1)));
});

test('the thin band is a curve 1-4 px wide, whatever the slope of its field', () => {
  // A radial field: its level sets are circles; steepness differs by a factor of 4 between the two fields.
  for (const gain of [0.01, 0.04]) {
    const field = new Float32Array(S * S).map((_, i) => gain * Math.hypot((i % S) - S / 2, Math.floor(i / S) - S / 2));
    const band = thinBand(field, S, gain * 20, 1);
    const circumference = 2 * Math.PI * 20;
    assert.ok(Math.abs(sum(band) / circumference - 2) < 0.5, `width ${sum(band) / circumference} at gain ${gain}`);
  }
});

test('a thin-structure task paints one thin curve into every image and makes it the label', () => {
  const config = nothing();
  config.task.thinStructure.p = 1;
  let painted = 0;
  for (let seed = 0; seed < 10; seed++) {
    const set = sampleSyntheticSet(new Random(seed), S, 3);
    const out = augmentTask(new Random(100 + seed), set, S, config);
    if (out.queryLabel === set.queryLabel || sum(out.queryLabel) === sum(set.queryLabel)) continue;
    painted++;
    const labels = [out.queryLabel, ...out.support.map((p) => p.label)];
    for (const label of labels) {
      assert.ok(label.every((v) => v === 0 || v === 1));
      // Thin: an erosion by 2 px leaves almost nothing.
      assert.ok(sum(erode(label, S, 2)) < 0.1 * sum(label), 'thin');
    }
    // The same structure in every image, each moved a little.
    const overlap = (a: Float32Array, b: Float32Array): number => (2 * sum(a.map((v, i) => v * b[i]!))) / (sum(a) + sum(b));
    assert.ok(overlap(labels[0]!, labels[1]!) > 0.2, `overlap ${overlap(labels[0]!, labels[1]!)}`);
    // It shows in the image: inside and outside differ.
    const inside = out.query.filter((_, i) => out.queryLabel[i] === 1);
    const around = set.query.filter((_, i) => out.queryLabel[i] === 1);
    assert.ok(Math.abs(mean(inside) - mean(around)) > 0.1, 'painted with contrast');
  }
  assert.ok(painted >= 7, `only ${painted} of 10 tasks got a structure`);
});
