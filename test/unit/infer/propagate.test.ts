import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../../../core/cli.js';
import { extractSlice } from '../../../core/data/extract-slice.js';
import { readLabelVolume } from '../../../core/data/read-label-volume.js';
import { readVolume } from '../../../core/data/read-volume.js';
import { resizeBilinear } from '../../../core/data/resize-bilinear.js';
import type { LabelVolume, Volume } from '../../../core/data/volume.js';
import { writeLabelVolume } from '../../../core/data/write-label-volume.js';
import { imageInput, maskInput, normalisedSlice, stack, windowImage, windowMask, windowToSlice } from '../../../core/infer/model-input.js';
import { nearestSlices } from '../../../core/infer/nearest-slices.js';
import { OPEN_END_NETWORK_WEIGHT, propagateVolume } from '../../../core/infer/propagate-volume.js';
import { SHAPE_PRIOR_WEIGHT, ShapePrior, type Contours } from '../../../core/infer/shape-prior.js';
import { AXIS_SMOOTHING, smoothAlongAxis } from '../../../core/infer/axis-smoothing.js';
import { interpolateContours } from '../../../core/infer/contour-interpolation.js';
import { supportRoi } from '../../../core/infer/support-roi.js';
import { volumeSliceWarps } from '../../../core/infer/slice-warps.js';
import type { Model } from '../../../core/model/model.js';
import { carriedExample } from './carried-example.js';
import { randomModel64, windowedAtOwnSize, writeRandomModel64 } from './random-model.js';

const SAMPLE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'assets', 'sample', 'volume');
// Axial slices 24..47 of the sample: labelled at 27, 35 and 43 (now 3, 11, 19); label 17 only in 35 and 43.
const FROM = 24;
const TO = 47;
const LABELLED = [3, 11, 19];

/** Slices from..to (inclusive) along the last axis. */
function slab<T extends Volume | LabelVolume>(grid: T, from: number, to: number): T {
  const plane = grid.size[0] * grid.size[1];
  return { ...grid, data: grid.data.slice(from * plane, (to + 1) * plane), size: [grid.size[0], grid.size[1], to - from + 1] };
}

/** Each label's contour interpolation between its outermost labelled slices, as propagateVolume blends it in. */
async function contoursOf(partial: LabelVolume, labels: readonly { value: number; examples: number[] }[]): Promise<Map<number, Contours>> {
  const out = new Map<number, Contours>();
  const given = (s: number) => (LABELLED.includes(s) ? extractSlice(partial, 2, s) : undefined);
  for (const { value, examples } of labels) {
    const [first, last] = [examples[0]!, examples.at(-1)!];
    out.set(value, { first, masks: await interpolateContours(given, value, first, last, extractSlice(partial, 2, 0)) });
  }
  return out;
}

describe('propagateVolume', () => {
  let model: Model;
  let volume: Volume;
  let partial: LabelVolume;

  before(async () => {
    model = await randomModel64();
    volume = slab(await readVolume(path.join(SAMPLE, 't1.nii.gz')), FROM, TO);
    partial = slab(await readLabelVolume(path.join(SAMPLE, 'labels-partial.nii.gz')), FROM, TO);
  });
  after(() => model.release());
  // The interpolated shape follows the image between labelled slices, along registrations of neighbouring slices.
  const warpsOf = () =>
    volumeSliceWarps(
      volume,
      2,
      LABELLED.map((l) => extractSlice(partial, 2, l)),
    );

  // The default: a window around each label, support carried onto the query along registrations, and the network
  // weighed against the interpolated shape; and the network alone in whole slices, as `universeg segment` runs it.
  for (const { roi, networkWeight } of [
    { roi: true, networkWeight: SHAPE_PRIOR_WEIGHT },
    { roi: false, networkWeight: 1 },
  ]) {
    it(`keeps the labelled slices as given and predicts every other one from its nearest labelled slices, label by label (${roi ? 'in a window around each label, with the shape' : 'in whole slices, the network alone'})`, async () => {
      const progress: number[][] = [];
      const streamed = new Map<number, Uint8Array>();
      const result = await propagateVolume(model, volume, partial, {
        supportSize: 1,
        roi,
        networkWeight: roi ? undefined : networkWeight,
        // Each slice on its own, as computed below; the smoothing along the axis is tested on its own.
        axisSmoothing: 0,
        // Without registration the whole-slice network sees exactly what `universeg segment` gives it.
        registration: roi ? undefined : false,
        onProgress: (d, t) => progress.push([d, t]),
        onSlice: (s, slice) => streamed.set(s, slice.data.slice()),
      });
      assert.deepEqual(result.labelledSlices, LABELLED);
      assert.deepEqual(result.labelValues, [17, 29]);
      assert.deepEqual(
        result.predictedSlices,
        Array.from({ length: 24 }, (_, s) => s).filter((s) => !LABELLED.includes(s)),
      );
      for (const s of LABELLED) assert.deepEqual(extractSlice(result.labels, 2, s).data, extractSlice(partial, 2, s).data, `slice ${s}`);
      // 21 slices x 2 labels, and label 29's interior labelled slice (11) predicted from the others for its estimate.
      assert.deepEqual(progress.at(-1), [21 * 2 + 1, 21 * 2 + 1]);
      assert.deepEqual(
        [...streamed.keys()].sort((a, b) => a - b),
        result.predictedSlices,
      );
      for (const [s, data] of streamed) assert.deepEqual(data, extractSlice(result.labels, 2, s).data, `streamed slice ${s}`);

      // Each label's support is the nearest labelled slice that shows it: 29 is on all three, 17 on 11 and 19 only;
      // 17 is not looked for in slices 0..6, nearer to slice 3 (without it) than to 11. Neither is looked for
      // more than half the labelled spacing (4 slices) past its outermost labelled slice.
      const shows = (s: number, v: number) => extractSlice(partial, 2, s).data.includes(v);
      const [of17, of29] = result.perLabel;
      assert.deepEqual([of17!.value, of29!.value, of17!.extent[0]], [17, 29, 7]);
      assert.ok(of17!.extent[1] <= 23 && of29!.extent[0] >= -1 && of29!.extent[1] <= 23);
      const within = (s: number, v: number) => {
        const { extent } = result.perLabel.find((l) => l.value === v)!;
        return s >= extent[0] && s <= extent[1];
      };
      assert.equal(
        result.networkRuns,
        result.predictedSlices.filter((s) => within(s, 17)).length + result.predictedSlices.filter((s) => within(s, 29)).length,
      );
      const ends = new Map(result.perLabel.map((l) => [l.value, l.ends]));
      const contours = await contoursOf(partial, result.perLabel);
      const warps = warpsOf();

      // Each predicted slice is the merge of its per-label predictions, computed here the long way.
      for (const s of [0, 7, 14, 23]) {
        const { width, height } = extractSlice(partial, 2, s);
        const expected = new Uint8Array(width * height);
        const best = new Float32Array(width * height);
        for (const v of [17, 29].filter((v) => within(s, v))) {
          const support = nearestSlices(
            s,
            LABELLED.filter((l) => shows(l, v)),
            1,
          );
          const window = roi
            ? supportRoi(
                support.map((l) => extractSlice(partial, 2, l)),
                v,
                64,
              )
            : undefined;
          assert.equal(window !== undefined, roi);
          const input = (k: number) => windowImage(normalisedSlice(extractSlice(volume, 2, k), model.config), window, 64);
          const examples = LABELLED.filter((l) => shows(l, v));
          const lacking = LABELLED.filter((l) => !shows(l, v));
          // Past the outermost example towards a labelled slice without the label (17 below 11: slice 3), that
          // slice joins the support as an empty example.
          const absent =
            s < examples[0]!
              ? lacking.filter((l) => l < examples[0]!).at(-1)
              : s > examples.at(-1)!
                ? lacking.find((l) => l > examples.at(-1)!)
                : undefined;
          const carried = roi && absent !== undefined ? [...support, absent] : support;
          // With the shape, each support example is first carried onto the query along the same registrations.
          const aligned = carried.map((l) =>
            carriedExample(warps, normalisedSlice(extractSlice(volume, 2, l), model.config), extractSlice(partial, 2, l), v, l, s),
          );
          const { probabilities } = await model.predict({
            queries: input(s),
            count: 1,
            poolImages: stack(roi ? aligned.map((a) => windowImage(a.image, window, 64)) : support.map(input)),
            poolLabels: stack(
              roi
                ? aligned.map((a) => windowMask(a.mask, window, 64, 1))
                : support.map((l) => windowMask(extractSlice(partial, 2, l), window, 64, v)),
            ),
            poolSize: carried.length,
            supportSize: carried.length,
            height: 64,
            width: 64,
          });
          const network = windowToSlice(probabilities, 64, window, width, height);
          const shape = new ShapePrior(new Map(LABELLED.map((l) => [l, extractSlice(partial, 2, l)])), ends, contours, warps).probability(
            s,
            v,
          );
          // Past an outermost labelled slice with no labelled slice beyond lacking the label, the network weighs less
          // against the shape (alone, it has nothing to weigh against).
          const open = (s < examples[0]! && !lacking.some((l) => l < s)) || (s > examples.at(-1)! && !lacking.some((l) => l > s));
          const w = open && networkWeight < 1 ? Math.min(networkWeight, OPEN_END_NETWORK_WEIGHT) : networkWeight;
          const p = network.map((q, i) => w * q + (1 - w) * shape[i]!);
          if (!roi) {
            // Without a window the inputs and output are the whole-slice ones `universeg segment` uses.
            assert.deepEqual(input(s), imageInput(extractSlice(volume, 2, s), model.config));
            assert.deepEqual(
              windowMask(extractSlice(partial, 2, support[0]!), window, 64, v),
              maskInput(extractSlice(partial, 2, support[0]!), model.config, v),
            );
            assert.deepEqual(network, resizeBilinear(probabilities, 64, 64, width, height));
          }
          for (let i = 0; i < p.length; i++) if (p[i]! > 0.5 && p[i]! > best[i]!) [best[i], expected[i]] = [p[i]!, v];
        }
        assert.deepEqual(extractSlice(result.labels, 2, s).data, expected, `slice ${s}`);
      }
      assert.ok(
        result.predictedSlices.some((s) => extractSlice(result.labels, 2, s).data.some((v) => v !== 0)),
        'the network labelled something',
      );
    });
  }

  it('with no weight on the network runs none, and fills each slice with the interpolated shape', async () => {
    const result = await propagateVolume(model, volume, partial, { networkWeight: 0, axisSmoothing: 0 });
    assert.equal(result.networkRuns, 0);
    const prior = new ShapePrior(
      new Map(LABELLED.map((l) => [l, extractSlice(partial, 2, l)])),
      new Map(result.perLabel.map((l) => [l.value, l.ends])),
      await contoursOf(partial, result.perLabel),
      warpsOf(),
    );
    const [of17, of29] = result.perLabel.map((l) => l.extent);
    for (const s of [1, 7, 14, 22]) {
      const p29 = prior.probability(s, 29);
      const p17 = prior.probability(s, 17);
      // 17 is not looked for below slice 7 (nearer to slice 3, which lacks it), nor either past its extent; 17,
      // merged first, keeps a tie.
      const has17 = s >= of17![0] && s <= of17![1];
      const has29 = s >= of29![0] && s <= of29![1];
      const expected = p29.map((p, i) => (has17 && p17[i]! > 0.5 && (!has29 || p17[i]! >= p) ? 17 : has29 && p > 0.5 ? 29 : 0));
      assert.deepEqual(extractSlice(result.labels, 2, s).data, Uint8Array.from(expected), `slice ${s}`);
    }
    await assert.rejects(propagateVolume(model, volume, partial, { networkWeight: 1.5 }), /weight must lie in 0\.\.1, got 1\.5/);
  });

  it('smooths each label along the axis within each gap between labelled slices, their masks and its absence past its ends taking part', async () => {
    // Label 17 alone: slice 3 is labelled without it, so it is not looked for below slice 7.
    const only17 = { ...partial, data: partial.data.map((v) => (v === 17 ? 17 : 0)) };
    const result = await propagateVolume(model, volume, only17, { labelledSlices: LABELLED, networkWeight: 0 });
    const unsmoothed = await propagateVolume(model, volume, only17, { labelledSlices: LABELLED, networkWeight: 0, axisSmoothing: 0 });
    const masks = new Map(LABELLED.map((l) => [l, extractSlice(only17, 2, l)]));
    const [{ ends, extent }] = result.perLabel;
    const m0 = masks.get(LABELLED[0]!)!;
    const prior = new ShapePrior(
      masks,
      new Map([[17, ends]]),
      await contoursOf(only17, result.perLabel),
      // Registration runs in a box around the labels given.
      volumeSliceWarps(
        volume,
        2,
        LABELLED.map((l) => extractSlice(only17, 2, l)),
      ),
    );
    const predicted = result.predictedSlices.filter((s) => s >= extent[0] && s <= extent[1]);
    // Slices predicted together share their sides (the labelled slices or virtual ends either side).
    const gapOf = (s: number) => prior.sides(s, 17).join();
    // Known next to a gap: a labelled slice's mask, and nothing where the label is not looked for.
    const known = (l: number) => {
      const m = masks.get(l);
      if (m) return Float32Array.from(m.data, (v) => (v === 17 ? 1 : 0));
      return l >= 0 && l < volume.size[2] && (l < extent[0] || l > extent[1]) ? new Float32Array(m0.data.length) : undefined;
    };
    let differ = 0;
    for (const gap of new Set(predicted.map(gapOf))) {
      const slices = predicted.filter((s) => gapOf(s) === gap);
      const smoothed = smoothAlongAxis(
        slices,
        slices.map((s) => prior.probability(s, 17)),
        known,
        AXIS_SMOOTHING,
      );
      slices.forEach((s, q) => {
        const labels = extractSlice(result.labels, 2, s).data;
        assert.deepEqual(
          labels,
          Uint8Array.from(smoothed[q]!, (p) => (p > 0.5 ? 17 : 0)),
          `slice ${s}`,
        );
        const plain = extractSlice(unsmoothed.labels, 2, s).data;
        differ += labels.reduce((n, v, i) => n + (v !== plain[i] ? 1 : 0), 0);
      });
    }
    assert.ok(differ > 0, 'the smoothing changed some pixels');
    assert.ok(extent[0] > 0, 'the label ends inside the volume, where its absence takes part');
    await assert.rejects(propagateVolume(model, volume, partial, { axisSmoothing: -1 }), /smoothing along the axis must lie in 0\.\.10/);
  });

  it('predicts again only the slices whose support changed, and what it keeps equals a fresh prediction', async () => {
    const settings = { supportSize: 1, ensemble: 2, seed: 4 };
    const signatures = new Map<number, string>();
    const first = await propagateVolume(model, volume, partial, {
      ...settings,
      onSlice: (s, _l, _u, signature) => signatures.set(s, signature),
    });
    assert.equal(signatures.size, 21);

    // Nothing changed: nothing runs, everything is kept.
    const again = await propagateVolume(model, volume, first.labels, { ...settings, labelledSlices: LABELLED, previous: signatures });
    assert.equal(again.networkRuns, 0);
    assert.equal(again.unchanged.length, 21);
    assert.deepEqual(again.labels.data, first.labels.data);

    // A correction on slice 3 (label 29 grows by a row): only slices drawing on slice 3 are predicted again.
    const corrected = { ...first.labels, data: first.labels.data.slice() };
    const plane = partial.size[0] * partial.size[1];
    const row = 3 * plane + 40 * partial.size[0];
    corrected.data.fill(29, row + 20, row + 30);
    const redone = new Set<number>();
    const after = await propagateVolume(model, volume, corrected, {
      ...settings,
      labelledSlices: LABELLED,
      previous: signatures,
      onSlice: (s) => redone.add(s),
    });
    assert.ok(redone.size > 0 && redone.size < 21, `${redone.size} slices predicted again`);
    assert.deepEqual(
      [...redone, ...after.unchanged].sort((a, b) => a - b),
      first.predictedSlices,
    );
    const fresh = await propagateVolume(
      model,
      volume,
      { ...corrected, data: corrected.data.map((v, i) => (LABELLED.includes(Math.floor(i / plane)) ? v : 0)) },
      { ...settings, labelledSlices: LABELLED },
    );
    assert.deepEqual(after.labels.data, fresh.labels.data);
    // Another model (the salt) or other settings: every slice is predicted again.
    const salted = await propagateVolume(model, volume, first.labels, {
      ...settings,
      labelledSlices: LABELLED,
      previous: signatures,
      signatureSalt: 'other.safetensors',
    });
    assert.equal(salted.unchanged.length, 0);
  });

  it('predicts only the slices of a range, and leaves the rest as given', async () => {
    const result = await propagateVolume(model, volume, partial, { supportSize: 1, range: [2, 9] });
    assert.deepEqual(result.predictedSlices, [2, 4, 5, 6, 7, 8, 9]);
    for (const s of [0, 1, 10, 12, 23])
      assert.deepEqual(extractSlice(result.labels, 2, s).data, extractSlice(partial, 2, s).data, `slice ${s}`);
    await assert.rejects(
      propagateVolume(model, volume, partial, { range: [5, 24] }),
      /slices 5\.\.24 are not a range within 0\.\.23 along axis 2/,
    );
  });

  it("runs the network in volumes at the file's window size, not at the size it takes whole images at", async () => {
    const settings = { supportSize: 2, range: [4, 9] as [number, number] };
    const wide = windowedAtOwnSize(model);
    try {
      const [own, windowed] = [
        await propagateVolume(model, volume, partial, settings),
        await propagateVolume(wide, volume, partial, settings),
      ];
      assert.ok(own.networkRuns > 0);
      assert.deepEqual(windowed.labels.data, own.labels.data);
      assert.deepEqual(windowed.perLabel, own.perLabel);
    } finally {
      await wide.release();
    }
  });

  it('looks for a label only where the nearest labelled slice shows it', async () => {
    const without = { ...partial, data: partial.data.slice() };
    const plane = partial.size[0] * partial.size[1];
    for (let i = 11 * plane; i < 12 * plane; i++) if (without.data[i] === 17) without.data[i] = 0;
    const result = await propagateVolume(model, volume, without, { supportSize: 3 });
    // Label 17 (only on slice 19 now) is looked for from 15 on, where slice 19 is at least as near as 11 (without it).
    assert.equal(result.perLabel[0]!.extent[0], 15);
    for (let s = 0; s <= 14; s++) assert.ok(!extractSlice(result.labels, 2, s).data.includes(17), `slice ${s}`);
  });

  it('ends a structure past its outermost labelled slices by evidence, or where the user says', async () => {
    // Label 29 on slices 3, 11 and 19, none empty: it may reach 4 slices (half the spacing) past 3 and 19, less
    // where its area falls towards that end; nothing is predicted beyond.
    const result = await propagateVolume(model, volume, partial, { supportSize: 1, networkWeight: 0 });
    const of29 = result.perLabel.find((l) => l.value === 29)!;
    assert.equal(of29.extentFrom, 'estimated');
    assert.ok(of29.extent[0] >= -1 && of29.extent[0] <= 3 && of29.extent[1] >= 19 && of29.extent[1] <= 23, `extent ${of29.extent}`);
    for (let s = 0; s < 24; s++) {
      if (s >= of29.extent[0] && s <= of29.extent[1]) continue;
      assert.ok(!extractSlice(result.labels, 2, s).data.includes(29), `slice ${s} beyond the extent`);
    }
    // Set by the user: exactly those slices, wider or narrower than the estimate.
    for (const extent of [
      [0, 23],
      [5, 15],
    ] as [number, number][]) {
      const set = await propagateVolume(model, volume, partial, { supportSize: 1, networkWeight: 0, extents: new Map([[29, extent]]) });
      const report = set.perLabel.find((l) => l.value === 29)!;
      assert.deepEqual([report.extent, report.extentFrom], [extent[0] === 0 ? [0, 23] : [3, 19], 'user']);
      const holds = Array.from({ length: 24 }, (_, s) => extractSlice(set.labels, 2, s).data.includes(29));
      for (let s = 0; s < 24; s++)
        if (!LABELLED.includes(s)) assert.equal(holds[s], s >= extent[0] && s <= extent[1], `slice ${s} with extent ${extent}`);
    }
  });

  it('reports ensemble disagreement on predicted slices only, and none for a single member', async () => {
    const ensemble = await propagateVolume(model, volume, partial, { supportSize: 1, ensemble: 8, seed: 1, labelledSlices: [3, 11] });
    const spreadOn = (v: Volume, s: number) => extractSlice(v, 2, s).data.reduce((a, b) => Math.max(a, b), 0);
    assert.equal(spreadOn(ensemble.uncertainty, 3), 0);
    assert.equal(spreadOn(ensemble.uncertainty, 11), 0);
    assert.ok(spreadOn(ensemble.uncertainty, 7) > 0.01, 'members drawing different slices disagree');
    // Slice 19 was not declared labelled: it is predicted over, not kept.
    assert.ok(ensemble.predictedSlices.includes(19));
    const single = await propagateVolume(model, volume, partial, { supportSize: 1, labelledSlices: [3, 11] });
    assert.ok(single.uncertainty.data.every((v) => v === 0));
  });

  it('works across any axis, refuses mismatched grids and empty support, and stops when aborted', async () => {
    // Axis 0: the labelled slices are sagittal planes of a label map made from the axial one.
    const sagittal = { ...partial, data: new Uint8Array(partial.data.length) };
    const [nx, ny] = partial.size;
    for (let i = 0; i < partial.data.length; i++) if (i % nx === 30 || i % nx === 40) sagittal.data[i] = (i / nx / ny) | 0 ? 29 : 0;
    const across = await propagateVolume(model, volume, sagittal, { axis: 0, supportSize: 1, labelledSlices: [30, 40] });
    assert.equal(across.predictedSlices.length, nx - 2);
    for (const s of [30, 40]) assert.deepEqual(extractSlice(across.labels, 0, s).data, extractSlice(sagittal, 0, s).data);

    await assert.rejects(propagateVolume(model, slab(volume, 0, 10), partial), /must share one grid/);
    await assert.rejects(propagateVolume(model, volume, partial, { labelledSlices: [0, 1] }), /hold no label/);
    await assert.rejects(propagateVolume(model, volume, { ...partial, data: new Uint8Array(partial.data.length) }), /no labelled slices/);
    const controller = new AbortController();
    await assert.rejects(
      propagateVolume(model, volume, partial, {
        supportSize: 1,
        signal: controller.signal,
        onProgress: (d) => d > 0 && controller.abort(),
      }),
      { name: 'AbortError' },
    );
  });
});

describe('universeg propagate', () => {
  it('writes the label map in the volume geometry and the uncertainty as float, and never over an input', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'useg-propagate-'));
    const volumePath = path.join(dir, 't1.nii.gz');
    const labelsPath = path.join(dir, 'partial.nii.gz');
    const t1 = slab(await readVolume(path.join(SAMPLE, 't1.nii.gz')), FROM, FROM + 12);
    await writeLabelVolume(volumePath, { ...t1, data: Uint8Array.from(t1.data) });
    await writeLabelVolume(labelsPath, slab(await readLabelVolume(path.join(SAMPLE, 'labels-partial.nii.gz')), FROM, FROM + 12));
    const model = await writeRandomModel64(path.join(dir, 'random-64.safetensors'));
    const labelsBefore = fs.readFileSync(labelsPath);
    const err = mock.method(console, 'error', () => {});
    const log = mock.method(console, 'log', () => {});
    try {
      const out = path.join(dir, 'out.nii.gz');
      const spread = path.join(dir, 'spread.nii.gz');
      const args = [volumePath, '--labels', labelsPath, '--model', model, '--support-size', '1'];
      assert.equal(
        await main(['propagate', ...args, '--out', out, '--uncertainty', spread, '--labelled-slices', '3,11', '--ensemble', '2']),
        0,
      );
      const [written, uncertainty] = [await readLabelVolume(out), await readVolume(spread)];
      assert.deepEqual(written.size, t1.size);
      assert.deepEqual(written.origin, t1.origin);
      assert.deepEqual(written.direction, t1.direction);
      assert.deepEqual(uncertainty.size, t1.size);
      assert.ok(
        uncertainty.data.some((v) => v > 0 && v < 1 && !Number.isInteger(v)),
        'float spread',
      );

      // A range: only slices 4..6 are predicted; the rest keep the partial map's labels (slice 11 is labelled).
      const ranged = path.join(dir, 'ranged.nii.gz');
      assert.equal(await main(['propagate', ...args, '--out', ranged, '--slices', '4-6', '--json']), 0);
      assert.equal(JSON.parse(log.mock.calls.at(-1)!.arguments[0] as string).predictedSlices, 3);
      const partialMap = await readLabelVolume(labelsPath);
      const rangedMap = await readLabelVolume(ranged);
      for (const k of [0, 3, 7, 11, 12])
        assert.deepEqual(extractSlice(rangedMap, 2, k).data, extractSlice(partialMap, 2, k).data, `slice ${k}`);
      assert.equal(await main(['propagate', ...args, '--out', ranged, '--slices', '6-4']), 2);
      assert.match(err.mock.calls.at(-1)!.arguments.join(' '), /--slices must be FIRST-LAST with FIRST <= LAST/);

      // No weight on the network: every predicted slice is the interpolated shape, which the flag's default is not.
      const shapeOnly = path.join(dir, 'shape.nii.gz');
      assert.equal(await main(['propagate', ...args, '--out', shapeOnly, '--network-weight', '0', '--json']), 0);
      assert.equal(JSON.parse(log.mock.calls.at(-1)!.arguments[0] as string).networkRuns, 0);
      const withNetwork = path.join(dir, 'default.nii.gz');
      assert.equal(await main(['propagate', ...args, '--out', withNetwork]), 0);
      assert.notDeepEqual((await readLabelVolume(shapeOnly)).data, (await readLabelVolume(withNetwork)).data);
      assert.equal(await main(['propagate', ...args, '--out', shapeOnly, '--network-weight', '1.5']), 2);
      assert.match(err.mock.calls.at(-1)!.arguments.join(' '), /--network-weight must lie in 0\.\.1, got '1\.5'/);

      // Each label's slices, estimated Dice and the next slice worth painting; --extent sets a label's slices.
      assert.equal(await main(['propagate', ...args, '--out', shapeOnly, '--network-weight', '0', '--extent', '29:2-8', '--json']), 0);
      const summary = JSON.parse(log.mock.calls.at(-1)!.arguments[0] as string) as {
        labels: { value: number; extent: number[]; extentFrom: string }[];
        suggestedSlice: { index: number };
      };
      assert.deepEqual(
        summary.labels.map((l) => [l.value, l.extentFrom]),
        [
          [17, 'estimated'],
          [29, 'user'],
        ],
      );
      assert.deepEqual(summary.labels[1]!.extent, [2, 11]);
      assert.ok(Number.isInteger(summary.suggestedSlice.index));
      const shaped = await readLabelVolume(shapeOnly);
      for (const k of [0, 1, 9, 10, 12]) assert.ok(!extractSlice(shaped, 2, k).data.includes(29), `slice ${k}`);
      for (const bad of ['29', '29:8-2', '0:1-2', '29:1-2,']) {
        assert.equal(await main(['propagate', ...args, '--out', shapeOnly, '--extent', bad]), 2);
        assert.match(err.mock.calls.at(-1)!.arguments.join(' '), /--extent must be VALUE:FIRST-LAST/);
      }
      // An output folder that does not exist fails before any work.
      assert.equal(await main(['propagate', ...args, '--out', path.join(dir, 'nodir', 'x.nii.gz')]), 2);
      assert.match(err.mock.calls.at(-1)!.arguments.join(' '), /x\.nii\.gz: the folder .*nodir does not exist/);

      assert.equal(await main(['propagate', ...args, '--out', labelsPath]), 2);
      assert.equal(await main(['propagate', ...args, '--out', out, '--axis', '3']), 2);
      assert.equal(await main(['propagate', ...args, '--out', path.join(dir, 'out.png')]), 2);
      assert.equal(await main(['propagate', path.join(dir, 'missing.nii.gz'), '--labels', labelsPath, '--model', model, '--out', out]), 1);
      assert.match(err.mock.calls.at(-1)!.arguments.join(' '), /missing\.nii\.gz: no such file/);
      assert.deepEqual(fs.readFileSync(labelsPath), labelsBefore);
    } finally {
      err.mock.restore();
      log.mock.restore();
    }
  });
});
