import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { readWeightsFile } from '../../../core/model/weights-file.js';
import { UNIVERSEG_FIXTURES } from '../../helpers/fixtures.js';

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'universeg.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('universeg import-weights, train and usage errors', () => {
  it('imports the PyTorch checkpoint into safetensors with identical tensors', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'useg-cli-')), 'v1.safetensors');
    const r = cli('import-weights', path.join(UNIVERSEG_FIXTURES, 'weights_random.pt'), out);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /44 tensors, 1182785 parameters/);
    const [imported, reference] = await Promise.all([
      readWeightsFile(out),
      readWeightsFile(path.join(UNIVERSEG_FIXTURES, 'weights_random.safetensors')),
    ]);
    for (const [name, t] of reference.weights) assert.deepEqual(imported.weights.get(name)!.data, t.data, name);
  });

  it('names a bad file without a stack trace (exit 1) and a usage mistake with exit 2', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'useg-cli-'));
    const bad = path.join(dir, 'broken.pt');
    fs.writeFileSync(bad, 'not a zip');
    const r = cli('import-weights', bad, path.join(dir, 'x.safetensors'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /broken\.pt/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(cli('no-such-command').status, 2);
    assert.equal(cli('train', '--size', '30').status, 2);
    assert.equal(cli('train', '--synthetic', '0').status, 2);
    const odds = cli('train', '--thin-structures', '1.5');
    assert.equal(odds.status, 2);
    assert.match(odds.stderr, /--thin-structures is a probability \(0\.\.1\), got 1\.5/);
  });

  it('trains a few steps, printing one JSON line per logged step, then resumes', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'useg-cli-')), 'run');
    const args = [
      'train',
      '--size',
      '16',
      '--support',
      '2',
      '--width',
      '4',
      '--steps',
      '3',
      '--warmup',
      '0',
      '--validate-every',
      '0',
      '--threads',
      '1',
      '--thin-structures',
      '0.5',
      '--modality-noise',
      '0.5',
      '--out',
      out,
      '--json',
    ];
    const r = cli(...args);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { step: number; loss: number; stepsPerSecond: number });
    assert.deepEqual(
      lines.map((l) => l.step),
      [1, 2, 3],
    );
    assert.ok(lines.every((l) => Number.isFinite(l.loss) && l.stepsPerSecond > 0));
    const resumed = cli(...args.map((a) => (a === '3' ? '5' : a)), '--resume');
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.deepEqual(
      resumed.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).step),
      [4, 5],
    );
    assert.ok(fs.existsSync(path.join(out, 'model.safetensors')));
  });
});
