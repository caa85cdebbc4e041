import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { UNIVERSEG_FIXTURES } from '../../helpers/fixtures.js';

describe('package root', () => {
  it('exposes the built library API to a Node script inside the repository', () => {
    const weights = path.join(UNIVERSEG_FIXTURES, 'weights_random.pt');
    const script = `
      import { loadModel, readVolume, propagateVolume, runTraining, startJob } from 'universeg-workstation';
      const model = await loadModel(${JSON.stringify(weights)}, { device: 'cpu' });
      const S = 16, N = 2, plane = S * S;
      const logits = await model.logits({ query: new Float32Array(plane), supportImages: new Float32Array(N * plane),
        supportLabels: new Float32Array(N * plane), batch: 1, support: N, height: S, width: S });
      console.log(JSON.stringify({ n: logits.length, fns: [readVolume, propagateVolume, runTraining, startJob].map((f) => typeof f) }));
      await model.release();`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out.trim().split('\n').pop()!), { n: 256, fns: ['function', 'function', 'function', 'function'] });
  });
});
