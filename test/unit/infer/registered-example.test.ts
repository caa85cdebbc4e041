import assert from 'node:assert/strict';
import path from 'node:path';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { extractSlice } from '../../../core/data/extract-slice.js';
import { readLabelVolume } from '../../../core/data/read-label-volume.js';
import { readVolume } from '../../../core/data/read-volume.js';
import { dice } from '../../../core/eval/dice.js';
import { imageInput, maskInput, stack } from '../../../core/infer/model-input.js';
import { defaultModelPath } from '../../../core/infer/default-model.js';
import {
  alignedProbability,
  bestFitting,
  registerExamples,
  weighAgainst,
  withRegisteredExamples,
} from '../../../core/infer/registered-example.js';
import { warpImage } from '../../../core/infer/slice-registration.js';
import { UNIVERSEG_V1 } from '../../../core/model/config.js';
import { loadModel, type Model } from '../../../core/model/model.js';

const SAMPLE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'assets', 'sample', '2d');
const S = UNIVERSEG_V1.inputSize;
const binary = (p: Float32Array) => p.map((v) => (v > 0.5 ? 1 : 0));

/** A smooth deformation of a few pixels: a shift and a wave, as between two subjects' slices. */
function deformation(amplitude = 1): { dx: Float32Array; dy: Float32Array; width: number; height: number } {
  const dx = new Float32Array(S * S);
  const dy = new Float32Array(S * S);
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++) {
      dx[y * S + x] = amplitude * (2.5 + 1.5 * Math.sin((2 * Math.PI * y) / S));
      dy[y * S + x] = amplitude * (-2 + 1.5 * Math.cos((2 * Math.PI * x) / S));
    }
  return { dx, dy, width: S, height: S };
}

const registeredExample = (query: Float32Array, images: Float32Array, labels: Float32Array, candidates: number[]) =>
  bestFitting(registerExamples(query, images, labels, candidates, S));

describe('bestFitting (the support example that fits best, registered onto the query)', () => {
  let images: Float32Array;
  let labels: Float32Array;
  let query: Float32Array;
  let truth: Float32Array;

  before(async () => {
    // Two real labelled slices of the insula, 30 slices apart; the query is the second one deformed.
    const examples = await Promise.all(
      ['axial-056.png', 'axial-086.png'].map(async (f) => ({
        image: imageInput(extractSlice(await readVolume(path.join(SAMPLE, 'support-images', f)), 2, 0), UNIVERSEG_V1),
        mask: maskInput(extractSlice(await readLabelVolume(path.join(SAMPLE, 'support-labels', f)), 2, 0), UNIVERSEG_V1),
      })),
    );
    images = stack(examples.map((e) => e.image));
    labels = stack(examples.map((e) => e.mask));
    query = warpImage(examples[1]!.image, deformation());
    truth = binary(warpImage(examples[1]!.mask, deformation()));
  });

  it('picks the example that fits and undoes the deformation on its label', () => {
    const unregistered = dice(binary(labels.subarray(S * S)), truth);
    const found = dice(binary(registeredExample(query, images, labels, [0, 1])), truth);
    const farOne = dice(binary(registeredExample(query, images, labels, [0])), truth);
    assert.ok(found > 0.9, `registered Dice ${found}`);
    assert.ok(found > unregistered + 0.1, `registered ${found} against ${unregistered} as it lay`);
    assert.ok(farOne < found - 0.1, `the slice 30 away, registered, reaches only ${farOne}`);
    // The order of the candidates does not matter, and repeating one adds nothing.
    assert.deepEqual(registeredExample(query, images, labels, [1, 0, 1]), registeredExample(query, images, labels, [0, 1]));
  });

  it('registers every candidate once, and weighs one probability against another', () => {
    const registered = registerExamples(query, images, labels, [1, 0, 1], S);
    assert.deepEqual([...registered.keys()].sort(), [0, 1]);
    assert.ok(registered.get(1)!.difference < registered.get(0)!.difference, 'the deformed slice fits better than the one 30 away');
    const network = new Float32Array(S * S).fill(0.4);
    const example = bestFitting(registered);
    const weighed = weighAgainst(network, example, 0.75);
    for (const i of [0, 4000, 8000, 12000]) assert.ok(Math.abs(weighed[i]! - (0.3 + 0.25 * example[i]!)) < 1e-6, `pixel ${i}`);
    assert.throws(() => registeredExample(query, images, labels, []), /at least one registered example/);
  });
});

describe('the network on examples registered onto its query (the shipped model on the sample)', () => {
  let model: Model;
  let images: Float32Array;
  let labels: Float32Array;
  const read = async (dir: string, f: string) => ({
    image: imageInput(
      extractSlice(await readVolume(path.join(SAMPLE, dir === 'support' ? 'support-images' : 'input', f)), 2, 0),
      UNIVERSEG_V1,
    ),
    mask: maskInput(
      extractSlice(await readLabelVolume(path.join(SAMPLE, dir === 'support' ? 'support-labels' : 'truth', f)), 2, 0),
      UNIVERSEG_V1,
    ),
  });

  before(async () => {
    model = await loadModel(defaultModelPath(), { device: 'cpu', threads: 1 });
    const examples = await Promise.all(readdirSync(path.join(SAMPLE, 'support-images')).map((f) => read('support', f)));
    images = stack(examples.map((e) => e.image));
    labels = stack(examples.map((e) => e.mask));
  });
  after(() => model.release());

  it('sees through a deformation of the query that the examples as given do not share', async () => {
    // Each held-back slice deformed by 5-7 px, as another subject's slice would be; the six examples stay as they are.
    const members = [[0, 1, 2, 3, 4, 5]];
    const scores = { given: [] as number[], aligned: [] as number[], segment: [] as number[] };
    for (const f of readdirSync(path.join(SAMPLE, 'input'))) {
      const held = await read('input', f);
      const query = warpImage(held.image, deformation(2));
      const truth = binary(warpImage(held.mask, deformation(2)));
      const given = await model.predict({
        queries: query,
        count: 1,
        poolImages: images,
        poolLabels: labels,
        poolSize: 6,
        height: S,
        width: S,
      });
      const registered = registerExamples(query, images, labels, members[0]!, S);
      const aligned = await alignedProbability(model, query, registered, members, S);
      const asSegment = await withRegisteredExamples(model, given.probabilities, query, { images, labels }, members);
      assert.equal(asSegment.networkRuns, 1, 'one more run, on the aligned set');
      scores.given.push(dice(binary(given.probabilities), truth));
      scores.aligned.push(dice(binary(aligned), truth));
      scores.segment.push(dice(binary(asSegment.probability), truth));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b) / xs.length;
    const report = JSON.stringify(scores, (_, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(3)) : v));
    assert.ok(mean(scores.aligned) > mean(scores.given) + 0.1, report);
    assert.ok(mean(scores.segment) > mean(scores.given) + 0.1, report);
  });

  it('leaves the network as it is without registration', async () => {
    const network = new Float32Array(S * S).fill(0.3);
    const off = await withRegisteredExamples(model, network, images.subarray(0, S * S), { images, labels }, [[1, 2]], {
      registration: false,
    });
    assert.deepEqual(off, { probability: network, networkRuns: 0 });
  });
});
