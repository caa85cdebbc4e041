import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  augmentPair,
  augmentTask,
  defaultAugmentationConfig,
  type AugmentationConfig,
  type ExampleSet,
  type LabelledImage,
} from '../../../core/train/augment/index.js';
import { augmentEachPair } from '../../../core/train/batch.js';
import { applyIntensityCurve, sampleIntensityCurve } from '../../../core/train/augment/intensity-curve.js';
import { dilate, erode, labelEdges } from '../../../core/train/augment/morphology.js';
import { sampleSyntheticSet } from '../../../core/train/synthetic/index.js';
import { Random } from '../../../core/util/random.js';

const S = 32;

/** The default config with every probability set to 0, for switching on one augmentation at a time. */
function nothing(): AugmentationConfig {
  const config = defaultAugmentationConfig();
  for (const group of [config.inTask, config.task]) for (const aug of Object.values(group)) aug.p = 0;
  return config;
}

/** An image whose every pixel differs, and an L-shaped label in the top-left: no flip or rotation maps either onto itself. */
function asymmetricPair(): LabelledImage {
  const image = new Float32Array(S * S);
  const label = new Float32Array(S * S);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      image[y * S + x] = (y * S + x) / (S * S);
      label[y * S + x] = (x >= 4 && x < 8 && y >= 4 && y < 20) || (y >= 16 && y < 20 && x >= 4 && x < 14) ? 1 : 0;
    }
  }
  return { image, label };
}

function square(x0: number, y0: number, side: number): Float32Array {
  const label = new Float32Array(S * S);
  for (let y = y0; y < y0 + side; y++) for (let x = x0; x < x0 + side; x++) label[y * S + x] = 1;
  return label;
}

const area = (label: Float32Array): number => label.reduce((a, v) => a + v, 0);

function setOf(pairs: LabelledImage[]): ExampleSet {
  return { query: pairs[0]!.image, queryLabel: pairs[0]!.label, support: pairs.slice(1) };
}

test('same seed gives identical augmentations, another seed different ones; the input is not modified', () => {
  const set = sampleSyntheticSet(new Random(1), S, 4);
  const before = structuredClone(set);
  const config = defaultAugmentationConfig();
  const run = (seed: number): ExampleSet => {
    const rng = new Random(seed);
    const pairs = [{ image: set.query, label: set.queryLabel }, ...set.support].map((p) => augmentPair(rng, p, S, config));
    return augmentTask(rng, setOf(pairs), S, config);
  };
  assert.deepEqual(run(5), run(5));
  assert.notDeepEqual(run(5), run(6));
  assert.deepEqual(set, before);
});

test('default augmentations keep images in [0, 1] and labels exactly binary', () => {
  const rng = new Random(2);
  const config = defaultAugmentationConfig();
  let changedLabels = 0;
  for (let t = 0; t < 30; t++) {
    const set = sampleSyntheticSet(rng, S, 4);
    const pairs = [{ image: set.query, label: set.queryLabel }, ...set.support];
    const out = augmentTask(rng, setOf(pairs.map((p) => augmentPair(rng, p, S, config))), S, config);
    [{ image: out.query, label: out.queryLabel }, ...out.support].forEach(({ image, label }, i) => {
      assert.equal(image.length, S * S);
      assert.ok(
        image.every((v) => v >= 0 && v <= 1),
        'image outside [0, 1]',
      );
      assert.ok(
        label.every((v) => v === 0 || v === 1),
        'label not binary',
      );
      if (label.some((v, j) => v !== pairs[i]!.label[j])) changedLabels++;
    });
  }
  assert.ok(changedLabels > 30, `augmentation rarely moved labels (${changedLabels} of 150)`);
});

test('a horizontal or vertical flip moves image and label alike', () => {
  const pair = asymmetricPair();
  for (const axis of ['flipHorizontal', 'flipVertical'] as const) {
    const config = nothing();
    config.inTask[axis].p = 1;
    const out = augmentPair(new Random(3), pair, S, config);
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        const from = axis === 'flipHorizontal' ? y * S + (S - 1 - x) : (S - 1 - y) * S + x;
        assert.equal(out.image[y * S + x], pair.image[from]);
        assert.equal(out.label[y * S + x], pair.label[from]);
      }
    }
  }
});

test('an identity affine (and a zero elastic) leaves the data unchanged', () => {
  const pair = asymmetricPair();
  const config = nothing();
  config.inTask.affine = { p: 1, rotation: [0, 0], scale: [1, 1], translate: [0, 0], shear: [0, 0] };
  config.inTask.elastic = { p: 1, spacing: [0.2, 0.2], magnitude: [0, 0] };
  const out = augmentPair(new Random(4), pair, S, config);
  assert.deepEqual(out.image, pair.image);
  assert.deepEqual(out.label, pair.label);
});

test('rotation by 90 degrees turns the content; zoom 2 enlarges it', () => {
  const pair = asymmetricPair();
  const config = nothing();
  config.inTask.affine = { p: 1, rotation: [90, 90], scale: [1, 1], translate: [0, 0], shear: [0, 0] };
  const turned = augmentPair(new Random(5), pair, S, config);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const from = x * S + (S - 1 - y);
      assert.ok(Math.abs(turned.image[y * S + x]! - pair.image[from]!) < 1e-5);
      assert.equal(turned.label[y * S + x], pair.label[from]);
    }
  }
  config.inTask.affine.rotation = [0, 0];
  config.inTask.affine.scale = [2, 2];
  const centred = { image: pair.image, label: square(12, 12, 8) };
  const zoomed = augmentPair(new Random(5), centred, S, config);
  assert.ok(Math.abs(area(zoomed.label) / area(centred.label) - 4) < 0.5, `area ratio ${area(zoomed.label) / area(centred.label)}`);
});

test('a warp that would push the whole label out of the frame is dropped', () => {
  const pair = asymmetricPair();
  const config = nothing();
  const outOfFrame = { p: 1, rotation: [0, 0], scale: [1, 1], translate: [0.9, 0.9], shear: [0, 0] } as const;
  config.inTask.affine = { ...outOfFrame };
  assert.deepEqual(augmentPair(new Random(12), pair, S, config), pair);
  // A shift that keeps some of the label is applied.
  config.inTask.affine.translate = [0.1, 0.1];
  assert.notDeepEqual(augmentPair(new Random(12), pair, S, config).label, pair.label);

  const task = nothing();
  task.task.affine = { ...outOfFrame, translate: [-0.5, -0.5] };
  const other = { image: pair.image, label: square(26, 26, 4) };
  const out = augmentTask(new Random(12), setOf([pair, other]), S, task);
  assert.deepEqual(out.queryLabel, pair.label);
  assert.deepEqual(out.support[0], other);
});

test('task augmentation applies the same flip to every pair of the set', () => {
  const a = asymmetricPair();
  const b = { image: a.image.map((v) => 1 - v), label: square(2, 20, 6) };
  const config = nothing();
  config.task.flipHorizontal.p = 1;
  const out = augmentTask(new Random(6), setOf([a, b, a]), S, config);
  for (const [input, output] of [
    [a, { image: out.query, label: out.queryLabel }],
    [b, out.support[0]!],
    [a, out.support[1]!],
  ] as const) {
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        assert.equal(output.image[y * S + x], input.image[y * S + S - 1 - x]);
        assert.equal(output.label[y * S + x], input.label[y * S + S - 1 - x]);
      }
    }
  }
});

test('an elastic task warp deforms every pair the same way', () => {
  const a = asymmetricPair();
  const config = nothing();
  config.task.elastic = { p: 1, spacing: [0.2, 0.2], magnitude: [0.05, 0.05] };
  const out = augmentTask(new Random(7), setOf([a, a, a]), S, config);
  assert.notDeepEqual(out.query, a.image);
  assert.deepEqual(out.support[0]!.image, out.query);
  assert.deepEqual(out.support[1]!.label, out.queryLabel);
});

test('label edges, dilation and erosion', () => {
  assert.equal(area(labelEdges(square(10, 10, 10), S)), 12 * 12 - 8 * 8);
  assert.equal(area(dilate(square(5, 5, 1), S, 1)), 9);
  assert.equal(area(dilate(square(5, 5, 1), S, 2)), 25);
  assert.equal(area(erode(square(5, 5, 5), S, 1)), 9);
  assert.equal(area(erode(square(5, 5, 5), S, 2)), 1);
  // The frame edge neither erodes a label that touches it nor counts as its boundary.
  assert.equal(area(erode(square(0, 0, 5), S, 1)), 16);
  const config = nothing();
  config.task.labelEdges.p = 1;
  const a = asymmetricPair();
  const out = augmentTask(new Random(8), setOf([a, { image: a.image, label: square(3, 3, 10) }]), S, config);
  assert.deepEqual(out.queryLabel, labelEdges(a.label, S));
  assert.deepEqual(out.support[0]!.label, labelEdges(square(3, 3, 10), S));
});

test('morphology on a set is skipped when erosion would empty one of its labels', () => {
  const config = nothing();
  config.task.labelMorphology = { p: 1, radius: [1, 1] };
  const areas = new Set<string>();
  for (let seed = 0; seed < 20; seed++) {
    const out = augmentTask(
      new Random(seed),
      setOf([
        { image: new Float32Array(S * S), label: square(5, 5, 1) },
        { image: new Float32Array(S * S), label: square(9, 9, 6) },
      ]),
      S,
      config,
    );
    areas.add(`${area(out.queryLabel)},${area(out.support[0]!.label)}`);
  }
  // Dilation (3x3 and 8x8) or, since erosion would delete the single pixel, nothing at all.
  assert.deepEqual([...areas].sort(), ['1,36', '9,64']);
});

test('intensity inversion, Sobel image and noise do what they say', () => {
  const a = asymmetricPair();
  const config = nothing();
  config.task.invertIntensity.p = 1;
  const inverted = augmentTask(new Random(9), setOf([a]), S, config);
  assert.ok(inverted.query.every((v, i) => Math.abs(v - (1 - a.image[i]!)) < 1e-6));
  assert.deepEqual(inverted.queryLabel, a.label);

  const step = new Float32Array(S * S).map((_, i) => (i % S < S / 2 ? 0.2 : 0.8));
  config.task.invertIntensity.p = 0;
  config.task.sobelImage.p = 1;
  const edges = augmentTask(new Random(9), setOf([{ image: step, label: a.label }]), S, config).query;
  assert.equal(Math.max(...edges), 1);
  assert.equal(edges[5 * S + 3], 0);
  assert.equal(edges[5 * S + S / 2], 1);

  const grey = new Float32Array(S * S).fill(0.5);
  const noisy = nothing();
  noisy.inTask.noise = { p: 1, std: [0.05, 0.05] };
  const out = augmentPair(new Random(10), { image: grey, label: a.label }, S, noisy).image;
  const mean = out.reduce((s, v) => s + v, 0) / out.length;
  const std = Math.sqrt(out.reduce((s, v) => s + (v - mean) ** 2, 0) / out.length);
  assert.ok(Math.abs(mean - 0.5) < 0.005, `noise mean ${mean}`);
  assert.ok(Math.abs(std - 0.05) < 0.005, `noise std ${std}`);
});

test('an intensity curve maps every image of a task through one map that is not monotonic, labels untouched', () => {
  const ramp = new Float32Array(S * S).map((_, i) => (i % S) / (S - 1));
  const a = { image: ramp, label: square(2, 2, 8) };
  const b = { image: ramp.map((v) => 1 - v), label: square(10, 10, 8) };
  const config = nothing();
  config.task.intensityCurve = { p: 1, knots: [4, 4] };
  let folds = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const out = augmentTask(new Random(seed), setOf([a, b]), S, config);
    const row = Array.from(out.query.subarray(0, S));
    assert.ok(Math.min(...row) >= 0 && Math.max(...row) <= 1 && Math.max(...row) - Math.min(...row) > 0.3, 'within [0, 1], not flat');
    // One map for the set: the support (the mirrored ramp) is the query's row reversed.
    const support = Array.from(out.support[0]!.image.subarray(0, S));
    support.forEach((v, x) => assert.ok(Math.abs(v - row[S - 1 - x]!) < 1e-6));
    assert.deepEqual(out.queryLabel, a.label);
    const steps = row
      .slice(1)
      .map((v, x) => Math.sign(v - row[x]!))
      .filter((d) => d !== 0);
    if (steps.some((d) => d !== steps[0])) folds++;
  }
  assert.ok(folds >= 15, `only ${folds} of 20 curves fold`);
  const curve = sampleIntensityCurve(new Random(3), [3, 3]);
  assert.equal(curve.length, 4);
  assert.deepEqual([Math.min(...curve), Math.max(...curve)], [0, 1]);
  assert.deepEqual(Array.from(applyIntensityCurve(Float32Array.of(0, 1 / 3, 0.5, 1), curve)), [
    curve[0],
    curve[1],
    (curve[1]! + curve[2]!) / 2,
    curve[3],
  ]);
  // Off by default, and then not even drawn: a run without it keeps its random sequence.
  const plain = defaultAugmentationConfig();
  assert.equal(plain.task.intensityCurve.p, 0);
});

test('an aligned set keeps its geometry under in-task augmentation; an unaligned one is moved pair by pair', () => {
  const pairs = [asymmetricPair(), asymmetricPair(), asymmetricPair()];
  const moved = { aligned: 0, unaligned: 0 };
  for (let seed = 0; seed < 20; seed++) {
    for (const aligned of [true, false]) {
      const out = augmentEachPair(new Random(seed), { ...setOf(pairs), aligned }, S, defaultAugmentationConfig());
      const labels = [out.queryLabel, ...out.support.map((p) => p.label)];
      if (labels.some((l) => !l.every((v, i) => v === pairs[0]!.label[i]))) moved[aligned ? 'aligned' : 'unaligned']++;
      assert.equal(out.aligned, aligned);
    }
  }
  assert.equal(moved.aligned, 0);
  assert.ok(moved.unaligned >= 15, `only ${moved.unaligned} of 20 unaligned sets were moved`);
});

test('a wrongly sized image is rejected with a clear error', () => {
  const a = asymmetricPair();
  assert.throws(() => augmentPair(new Random(0), a, S + 1, nothing()), /augmentPair image: expected 33x33 = 1089 values, got 1024/);
  assert.throws(
    () => augmentTask(new Random(0), setOf([a, { image: a.image, label: new Float32Array(3) }]), S, nothing()),
    /augmentTask label 1/,
  );
});

test('timing: augmenting a set of 1 + 8 pairs (printed)', () => {
  const config = defaultAugmentationConfig();
  for (const size of [64, 128]) {
    const rng = new Random(11);
    const sets = Array.from({ length: 5 }, () => sampleSyntheticSet(rng, size, 8));
    const runs = size === 64 ? 40 : 15;
    const augment = (r: number): void => {
      const set = sets[r % sets.length]!;
      const pairs = [{ image: set.query, label: set.queryLabel }, ...set.support].map((p) => augmentPair(rng, p, size, config));
      augmentTask(rng, setOf(pairs), size, config);
    };
    for (let r = 0; r < 5; r++) augment(r);
    const t0 = performance.now();
    for (let r = 0; r < runs; r++) augment(r);
    const ms = (performance.now() - t0) / runs;
    console.log(`augmentation of a set ${size}x${size}, N=8: ${ms.toFixed(1)} ms`);
    assert.ok(ms < (size === 64 ? 250 : 1200), 'augmentation would starve the engine');
  }
});
