import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadModel, Model, readWeightsFile, writeWeightsFile } from '../../../core/index.js';
import { CONFIG_METADATA_KEY } from '../../../core/model/config.js';
import { buildInferenceModel } from '../../../core/model/inference-graph.js';
import { writeSafetensors } from '../../../core/model/safetensors.js';
import { createSession, floatTensor, run } from '../../../core/model/session.js';
import { fixtureTensors, maxAbsDiff, UNIVERSEG_FIXTURES } from '../../helpers/fixtures.js';

const forward = fixtureTensors('forward_case.safetensors');
const input = {
  query: forward.get('query')!.data,
  supportImages: forward.get('support_images')!.data,
  supportLabels: forward.get('support_labels')!.data,
  batch: 2,
  support: 5,
  height: 128,
  width: 128,
};
const reference = forward.get('logits')!.data;
const models: Model[] = [];
after(() => Promise.all(models.map((m) => m.release())));

describe('UniverSeg forward pass against the reference implementation', () => {
  for (const file of ['weights_random.safetensors', 'weights_random.pt']) {
    it(`matches the reference logits within 1e-4 with ${file}`, async () => {
      const model = await loadModel(path.join(UNIVERSEG_FIXTURES, file), { device: 'cpu' });
      models.push(model);
      const logits = await model.logits(input);
      assert.equal(logits.length, 2 * 128 * 128);
      const diff = maxAbsDiff(logits, reference);
      assert.ok(diff < 1e-4, `max |logits - reference| = ${diff}`);
    });
  }

  it('gives the same logits in the split and unsplit forms, with Resize and with MatMul upsampling', async () => {
    const { config, weights } = await readWeightsFile(path.join(UNIVERSEG_FIXTURES, 'weights_random.safetensors'));
    const shape = { batch: 2, support: 5, size: 128 };
    const outputs: Float32Array[] = [];
    for (const options of [
      { split: false, upsample: 'resize' as const },
      { split: true, upsample: 'matmul' as const },
    ]) {
      const { session } = await createSession(buildInferenceModel(config, weights, shape, options), { device: 'cpu' });
      const out = await run(session, {
        query: floatTensor(input.query, [2, 1, 128, 128]),
        support_images: floatTensor(input.supportImages, [2, 5, 1, 128, 128]),
        support_labels: floatTensor(input.supportLabels, [2, 5, 1, 128, 128]),
      });
      await session.release();
      outputs.push(out.logits!);
    }
    assert.ok(maxAbsDiff(outputs[0]!, reference) < 1e-4);
    assert.ok(maxAbsDiff(outputs[0]!, outputs[1]!) < 1e-4, 'split and unsplit forms disagree');
  });

  it('keeps its configuration in the safetensors metadata through a write and read', async () => {
    const { config, weights } = await readWeightsFile(path.join(UNIVERSEG_FIXTURES, 'weights_random.pt'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'useg-weights-'));
    const file = path.join(dir, 'model.safetensors');
    await writeWeightsFile(file, { ...config, inputSize: 64, windowSize: 32 }, weights, { note: 'test' });
    const back = await readWeightsFile(file);
    assert.equal(back.config.inputSize, 64);
    assert.equal(back.config.windowSize, 32);
    assert.equal(back.metadata.note, 'test');
    for (const [name, t] of weights) assert.deepEqual(back.weights.get(name)!.data, t.data, name);
  });

  it('rejects a window size the network cannot take, naming the file', async () => {
    const { config, weights } = await readWeightsFile(path.join(UNIVERSEG_FIXTURES, 'weights_random.safetensors'));
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'useg-weights-')), 'odd.safetensors');
    fs.writeFileSync(file, writeSafetensors(weights, { [CONFIG_METADATA_KEY]: JSON.stringify({ ...config, windowSize: 60 }) }));
    await assert.rejects(
      readWeightsFile(file),
      /odd\.safetensors: invalid model configuration: windowSize must be a positive multiple of 8/,
    );
  });

  it('rejects a weights file with a misshaped or missing tensor, naming the file and the tensor', async () => {
    const { config, weights } = await readWeightsFile(path.join(UNIVERSEG_FIXTURES, 'weights_random.safetensors'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'useg-weights-'));
    const name = 'enc_blocks.1.target.vmapped.conv.weight';
    const broken = new Map(weights);
    broken.set(name, { shape: [64, 32, 3, 3], data: new Float32Array(64 * 32 * 9) });
    const file = path.join(dir, 'broken.safetensors');
    await assert.rejects(writeWeightsFile(file, config, broken), /has shape \[64,32,3,3\], expected \[64,64,3,3\]/);
    const { writeSafetensors } = await import('../../../core/model/safetensors.js');
    fs.writeFileSync(file, writeSafetensors(broken, {}));
    await assert.rejects(loadModel(file), (err: Error) => err.message.includes(file) && err.message.includes(name));
    broken.delete('out_conv.conv.bias');
    fs.writeFileSync(file, writeSafetensors(broken, {}));
    await assert.rejects(loadModel(file), /missing out_conv\.conv\.bias/);
  });

  it('rejects inputs of the wrong size with a clear message', async () => {
    const model = await loadModel(path.join(UNIVERSEG_FIXTURES, 'weights_random.safetensors'), { device: 'cpu' });
    models.push(model);
    await assert.rejects(model.logits({ ...input, height: 100, width: 100 }), /multiple of 8/);
    await assert.rejects(model.logits({ ...input, support: 4 }), /supportImages has .* values, expected/);
  });
});
