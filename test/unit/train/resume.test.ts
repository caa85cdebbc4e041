import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadCheckpoint } from '../../../core/train/checkpoint.js';
import { runTraining, type TrainingRunOptions } from '../../../core/train/run-training.js';
import { readWeightsFile } from '../../../core/model/weights-file.js';

function options(out: string, steps: number, resume: boolean): TrainingRunOptions {
  return {
    size: 16,
    support: 2,
    batch: 2,
    lr: 1e-3,
    warmup: 2,
    steps,
    clipNorm: 1,
    seed: 4,
    augment: true,
    bceWeight: 0.5,
    out,
    resume,
    data: [],
    syntheticWeight: 1,
    widths: 4,
    checkpointEvery: 0,
    validateEvery: 3,
    validationSets: 2,
  };
}

describe('training runs', () => {
  it('resume continues a run bit for bit, and Ctrl-C (abort) leaves a checkpoint', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'useg-train-'));
    const straight = path.join(root, 'straight');
    const split = path.join(root, 'split');
    const events: string[] = [];
    await runTraining(options(straight, 6, false), (e) => events.push(e.type), undefined, { device: 'cpu', threads: 1 });
    assert.ok(events.includes('validation'), 'validation ran');

    const controller = new AbortController();
    await runTraining(
      options(split, 6, false),
      (e) => {
        if (e.type === 'step' && e.result.step === 3) controller.abort();
      },
      controller.signal,
      { device: 'cpu', threads: 1 },
    );
    assert.equal((await loadCheckpoint(split)).step, 3, 'the abort saved step 3');
    await runTraining(options(split, 6, true), () => {}, undefined, { device: 'cpu', threads: 1 });

    const a = await loadCheckpoint(straight);
    const b = await loadCheckpoint(split);
    assert.equal(a.step, 6);
    assert.equal(b.step, 6);
    assert.deepEqual([...a.rngState], [...b.rngState]);
    for (const [name, t] of a.weights) assert.deepEqual(b.weights.get(name)!.data, t.data, `${name} differs after resume`);
    for (const [name, t] of a.adamV) assert.deepEqual(b.adamV.get(name)!.data, t.data, `Adam state of ${name} differs`);

    const model = await readWeightsFile(path.join(straight, 'model.safetensors'));
    assert.equal(model.config.inputSize, 16);
    assert.deepEqual(model.config.encoderWidths, [4, 4, 4, 4]);
    const log = fs
      .readFileSync(path.join(straight, 'log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(log.filter((l) => 'loss' in l).length, 6);
    assert.ok(log.every((l) => !('loss' in l) || (l.diceLoss >= 0 && l.diceLoss <= 1 && l.loss >= l.diceLoss)));
  });

  it('trains a share of the steps at the window size, resumes so, and writes that size into the model', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'useg-train-'));
    const mixed = (out: string, steps: number, resume: boolean): TrainingRunOptions => ({
      ...options(out, steps, resume),
      windowSize: 8,
      windowShare: 0.5,
    });
    const [straight, split] = [path.join(root, 'straight'), path.join(root, 'split')];
    const sizes: number[] = [];
    await runTraining(mixed(straight, 12, false), (e) => e.type === 'step' && sizes.push(e.result.size), undefined, {
      device: 'cpu',
      threads: 1,
    });
    assert.deepEqual(
      [...new Set(sizes)].sort((a, b) => a - b),
      [8, 16],
      `sizes trained at: ${sizes}`,
    );
    const logged = fs
      .readFileSync(path.join(straight, 'log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => 'loss' in l)
      .map((l) => l.size);
    assert.deepEqual(logged, sizes);

    const controller = new AbortController();
    await runTraining(mixed(split, 12, false), (e) => e.type === 'step' && e.result.step === 5 && controller.abort(), controller.signal, {
      device: 'cpu',
      threads: 1,
    });
    await runTraining(mixed(split, 12, true), () => {}, undefined, { device: 'cpu', threads: 1 });
    const [a, b] = [await loadCheckpoint(straight), await loadCheckpoint(split)];
    for (const [name, t] of a.weights) assert.deepEqual(b.weights.get(name)!.data, t.data, `${name} differs after resume`);

    const model = await readWeightsFile(path.join(straight, 'model.safetensors'));
    assert.equal(model.config.inputSize, 16);
    assert.equal(model.config.windowSize, 8);
  });
});
