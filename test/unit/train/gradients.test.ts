import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readWeightsFile } from '../../../core/model/weights-file.js';
import { createSession, floatTensor, run } from '../../../core/model/session.js';
import { buildTrainingModel, io, trainableParams } from '../../../core/train/training-graph.js';
import { fixtureTensors, maxAbsDiff, UNIVERSEG_FIXTURES } from '../../helpers/fixtures.js';

describe('training graph gradients against the reference implementation', () => {
  it('matches loss, logits and every parameter gradient of train_case', async () => {
    const { config, weights } = await readWeightsFile(path.join(UNIVERSEG_FIXTURES, 'weights_random.safetensors'));
    const ref = fixtureTensors('train_case.safetensors');
    const shape = { batch: 1, support: 4, size: 64 };
    const bytes = buildTrainingModel(config, shape, { optimizer: false, gradients: true });
    const { session } = await createSession(bytes, { device: 'cpu' });
    const feeds: Record<string, ReturnType<typeof floatTensor>> = {
      query: floatTensor(ref.get('query')!.data, [1, 1, 64, 64]),
      query_label: floatTensor(ref.get('query_label')!.data, [1, 1, 64, 64]),
      support_images: floatTensor(ref.get('support_images')!.data, [1, 4, 1, 64, 64]),
      support_labels: floatTensor(ref.get('support_labels')!.data, [1, 4, 1, 64, 64]),
    };
    for (const s of trainableParams(config)) feeds[io.param(s.name)] = floatTensor(weights.get(s.name)!.data, s.shape);
    const out = await run(session, feeds);
    await session.release();
    assert.ok(maxAbsDiff(out.logits!, ref.get('logits')!.data) < 1e-4, 'logits differ');
    assert.ok(Math.abs(out.loss![0]! - ref.get('loss')!.data[0]!) < 1e-5, `loss ${out.loss![0]} vs ${ref.get('loss')!.data[0]}`);
    const report: string[] = [];
    for (const s of trainableParams(config)) {
      const g = out[io.grad(s.name)]!;
      const r = ref.get(`grad.${s.name}`)!.data;
      let num = 0;
      let den = 0;
      for (let i = 0; i < r.length; i++) {
        num += (g[i]! - r[i]!) ** 2;
        den += r[i]! ** 2;
      }
      const rel = Math.sqrt(num / den);
      report.push(`${s.name}: ${rel.toExponential(2)}`);
      assert.ok(den > 0, `${s.name}: reference gradient is zero`);
      assert.ok(rel <= 1e-3, `${s.name}: relative error ${rel}`);
    }
    for (const name of ['dec_blocks.2.support.vmapped.conv.weight', 'dec_blocks.2.support.vmapped.conv.bias']) {
      const r = ref.get(`grad.${name}`)!.data;
      assert.ok(
        r.every((x) => Math.abs(x) < 1e-7),
        `${name}: reference says unused`,
      );
      assert.ok(!trainableParams(config).some((s) => s.name === name), `${name} must not be trained`);
    }
    console.log(report.join('\n'));
  });
});
