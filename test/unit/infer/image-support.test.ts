import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readLabelVolume } from '../../../core/data/read-label-volume.js';
import { readVolume } from '../../../core/data/read-volume.js';
import type { LabelVolume } from '../../../core/data/volume.js';
import { dice } from '../../../core/eval/dice.js';
import { defaultModelPath } from '../../../core/infer/default-model.js';
import { imageSupportTasks, segmentWithTasks, type LabelledImage } from '../../../core/infer/image-support.js';
import { loadModel, type Model } from '../../../core/model/model.js';

const SAMPLE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'assets', 'sample', '2d');

describe('propagation across 2D images (the shipped model on the sample)', () => {
  let model: Model;
  let supports: LabelledImage[];

  before(async () => {
    model = await loadModel(defaultModelPath(), { device: 'cpu', threads: 1 });
    supports = await Promise.all(
      readdirSync(path.join(SAMPLE, 'support-images')).map(async (f) => {
        const image = await readVolume(path.join(SAMPLE, 'support-images', f));
        const labels = await readLabelVolume(path.join(SAMPLE, 'support-labels', f));
        return { name: f, image, labels: { ...labels, data: labels.data.map((v) => (v ? 3 : 0)) } };
      }),
    );
  });
  after(() => model.release());

  it('segments held-back slices of the insula from six labelled ones', async () => {
    const tasks = imageSupportTasks(supports, model.config);
    assert.deepEqual(
      tasks.map((t) => [t.value, t.count]),
      [[3, 6]],
    );
    const scores: number[] = [];
    for (const f of readdirSync(path.join(SAMPLE, 'input'))) {
      const result = await segmentWithTasks(model, await readVolume(path.join(SAMPLE, 'input', f)), tasks, { supportSize: 6 });
      const truth: LabelVolume = await readLabelVolume(path.join(SAMPLE, 'truth', f));
      assert.deepEqual([...new Set(result.labels.data)].sort(), [0, 3], f);
      assert.ok(
        result.spread.every((v) => v === 0),
        'one member: no spread',
      );
      scores.push(
        dice(
          result.labels.data.map((v) => (v ? 1 : 0)),
          truth.data.map((v) => (v ? 1 : 0)),
        ),
      );
    }
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    console.log(`Dice per slice ${scores.map((d) => d.toFixed(3)).join(' ')}, mean ${mean.toFixed(3)}`);
    assert.ok(mean > 0.5, `mean Dice ${mean}`);
  });

  it('refuses volumes, mismatched label maps, and labels no support image shows', () => {
    const [first] = supports;
    assert.throws(
      () => imageSupportTasks([{ ...first!, image: { ...first!.image, size: [181, 217, 2] } }], model.config),
      /is a volume \(181x217x2\)/,
    );
    assert.throws(
      () => imageSupportTasks([{ ...first!, labels: { ...first!.labels, size: [217, 181, 1] } }], model.config),
      /its label map is 217x181x1 but the image is 181x217x1/,
    );
    assert.throws(() => imageSupportTasks(supports, model.config, [4]), /^Error: label 4 is on no support image/);
    assert.throws(
      () =>
        imageSupportTasks(
          supports.map((s) => ({ ...s, labels: { ...s.labels, data: new Uint8Array(s.labels.data.length) } })),
          model.config,
        ),
      /hold no label/,
    );
  });
});
