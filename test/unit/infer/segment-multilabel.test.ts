import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it, mock } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../../../core/cli.js';
import { labelColor } from '../../../core/contract/label-palette.js';
import { readLabelVolume } from '../../../core/data/read-label-volume.js';
import { writePngMask } from '../../../core/data/write-png-mask.js';
import { dice } from '../../../core/eval/dice.js';
import { segmentFolderArgs } from './segment-args.js';

const SAMPLE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'assets', 'sample', '2d');

/** A two-label map from a one-label one: its label's pixels left of their mean column are 1, the others 2. */
function splitLeftRight(data: Uint8Array, width: number): Uint8Array {
  const columns = [...data.keys()].filter((i) => data[i] !== 0).map((i) => i % width);
  const middle = columns.reduce((a, b) => a + b, 0) / columns.length;
  return data.map((v, i) => (v === 0 ? 0 : i % width < middle ? 1 : 2));
}

describe('universeg segment with a multi-label 2D support (the shipped model on the sample)', () => {
  let dir: string;
  const truth = new Map<string, Uint8Array>();

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'useg-multilabel-'));
    fs.cpSync(path.join(SAMPLE, 'support-images'), path.join(dir, 'support-images'), { recursive: true });
    // The study is the support images themselves: where the query is a support image, the answer is its labels.
    fs.cpSync(path.join(SAMPLE, 'support-images'), path.join(dir, 'input'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'support-labels'));
    for (const name of fs.readdirSync(path.join(SAMPLE, 'support-labels'))) {
      const labels = await readLabelVolume(path.join(SAMPLE, 'support-labels', name));
      const split = splitLeftRight(labels.data, labels.size[0]);
      truth.set(name, split);
      await writePngMask(path.join(dir, 'support-labels', name), split, labels.size[0], labels.size[1]);
    }
  });

  it('segments each label value as its own task into indexed PNGs of the support values and colours', async () => {
    const out = path.join(dir, 'out');
    const log = mock.method(console, 'log', () => {});
    const error = mock.method(console, 'error', () => {});
    let code;
    try {
      code = await main(['segment', ...segmentFolderArgs(dir), '--out', out]);
    } finally {
      log.mock.restore();
      error.mock.restore();
    }
    assert.equal(code, 0);
    assert.deepEqual(fs.readdirSync(out).sort(), [...truth.keys()].sort());
    const scores: number[][] = [];
    for (const [name, expected] of truth) {
      const bytes = fs.readFileSync(path.join(out, name));
      assert.equal(bytes[25], 3, `${name} is an indexed PNG (colour type 3)`);
      const plte = bytes.indexOf('PLTE');
      assert.deepEqual([...bytes.subarray(plte + 4, plte + 13)], [0, 0, 0, ...labelColor(1), ...labelColor(2)], `${name} palette`);
      const mask = await readLabelVolume(path.join(out, name));
      assert.deepEqual([...new Set(mask.data)].sort(), [0, 1, 2], name);
      scores.push([1, 2].map((label) => dice(mask.data, expected, label)));
    }
    const mean = (label: number) => scores.reduce((sum, s) => sum + s[label]!, 0) / scores.length;
    console.log(`Dice per image (left, right): ${scores.map((s) => s.map((d) => d.toFixed(3)).join('/')).join(' ')}`);
    assert.ok(mean(0) > 0.6 && mean(1) > 0.6, `mean Dice ${mean(0)} (left half), ${mean(1)} (right half)`);
  });
});
