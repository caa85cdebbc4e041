import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readVolume } from '../../../core/data/read-volume.js';
import { writePngMask } from '../../../core/data/write-png-mask.js';
import { dice } from '../../../core/eval/dice.js';
import { writeRandomModel64 } from './random-model.js';
import { segmentFolderArgs } from './segment-args.js';
import { runCli } from '../../helpers/run-cli.js';

const SAMPLE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'assets', 'sample', '2d');
const INPUTS = ['axial-059', 'axial-071', 'axial-083', 'axial-092'];

describe('universeg segment', () => {
  let dir: string;
  let model: string;
  const study = () => [...segmentFolderArgs(dir), '--model', model];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'useg-segment-'));
    for (const sub of ['support-images', 'support-labels', 'input'])
      fs.cpSync(path.join(SAMPLE, sub), path.join(dir, sub), { recursive: true });
    // A PNG cut short: the study goes on without it.
    fs.writeFileSync(path.join(dir, 'input', 'broken.png'), fs.readFileSync(path.join(SAMPLE, 'input', 'axial-059.png')).subarray(0, 200));
    model = await writeRandomModel64(path.join(dir, 'random-64.safetensors'));
  });

  it('writes a 0/255 PNG of the input size per input, skips a broken one naming it, exits 3', async () => {
    const out = path.join(dir, 'out');
    const { code, stderr } = await runCli(['segment', ...study(), '--out', out]);
    assert.equal(code, 3, stderr);
    assert.deepEqual(
      fs.readdirSync(out).sort(),
      INPUTS.map((n) => `${n}.png`),
    );
    for (const name of INPUTS) {
      const [mask, input] = await Promise.all([
        readVolume(path.join(out, `${name}.png`)),
        readVolume(path.join(dir, 'input', `${name}.png`)),
      ]);
      assert.deepEqual(mask.size, input.size);
      assert.deepEqual(
        [...new Set(mask.data)].filter((v) => v !== 0 && v !== 255),
        [],
        `${name} holds only 0 and 255`,
      );
    }
    assert.match(stderr, /skipped 1/);
    assert.match(stderr, /broken\.png: .+/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  });

  it('never overwrites an input: masks that would land on one are skipped, nothing done is exit 1', async () => {
    const before = Object.fromEntries(INPUTS.map((n) => [n, fs.readFileSync(path.join(dir, 'input', `${n}.png`))]));
    const { code, stderr } = await runCli(['segment', ...study(), '--out', path.join(dir, 'input')]);
    assert.equal(code, 1, stderr);
    for (const n of INPUTS) {
      assert.deepEqual(fs.readFileSync(path.join(dir, 'input', `${n}.png`)), before[n], `${n} unchanged`);
      assert.match(stderr, new RegExp(`${n}\\.png: its mask .* would overwrite an input`));
    }
    assert.deepEqual(
      fs.readdirSync(path.join(dir, 'input')).sort(),
      [...INPUTS.map((n) => `${n}.png`), 'broken.png'].sort(),
      'no stray files',
    );
  });

  it('shards split the inputs into disjoint parts whose masks match the unsharded run', async () => {
    const whole = path.join(dir, 'out');
    const parts = [];
    for (const i of [1, 2]) {
      const out = path.join(dir, `shard-${i}`);
      const { code, stdout } = await runCli(['segment', ...study(), '--out', out, '--shard', `${i}/2`, '--json']);
      const summary = JSON.parse(stdout) as { written: { output: string }[]; skipped: { path: string }[] };
      parts.push({
        code,
        out,
        written: summary.written.map((w) => path.basename(w.output)),
        skipped: summary.skipped.map((s) => path.basename(s.path)),
      });
    }
    const written = parts.flatMap((p) => p.written);
    assert.deepEqual(
      [...written].sort(),
      INPUTS.map((n) => `${n}.png`),
    );
    assert.deepEqual(
      parts.flatMap((p) => p.skipped),
      ['broken.png'],
      'the broken input belongs to exactly one shard',
    );
    assert.deepEqual(parts.map((p) => p.code).sort(), [0, 3]);
    for (const p of parts) {
      for (const name of p.written)
        assert.deepEqual(fs.readFileSync(path.join(p.out, name)), fs.readFileSync(path.join(whole, name)), name);
    }
  });

  it('--network-weight 0 segments from the best-fitting support image registered onto each input', async () => {
    const out = path.join(dir, 'registered');
    const { code, stderr } = await runCli(['segment', ...study(), '--out', out, '--network-weight', '0']);
    assert.equal(code, 3, stderr);
    const scores = await Promise.all(
      INPUTS.map(async (name) => {
        const [mask, truth] = await Promise.all([
          readVolume(path.join(out, `${name}.png`)),
          readVolume(path.join(SAMPLE, 'truth', `${name}.png`)),
        ]);
        return dice(
          mask.data.map((v) => (v ? 1 : 0)),
          truth.data.map((v) => (v ? 1 : 0)),
        );
      }),
    );
    // The random network has no say at weight 0: the registered neighbours alone find the insula.
    assert.ok(scores.reduce((a, b) => a + b) / scores.length > 0.6, `Dice ${scores.map((d) => d.toFixed(3)).join(' ')}`);
  });

  it('reports usage errors with exit 2 and missing support with exit 1, without stack traces', async () => {
    assert.equal((await runCli(['segment', '--input', dir])).code, 2);
    assert.equal((await runCli(['segment', ...study(), '--out', path.join(dir, 'x'), '--shard', '3/2'])).code, 2);
    assert.equal((await runCli(['segment', ...study(), '--out', path.join(dir, 'x'), '--bogus'])).code, 2);
    const weight = await runCli(['segment', ...study(), '--out', path.join(dir, 'x'), '--network-weight', '1.5']);
    assert.equal(weight.code, 2);
    assert.match(weight.stderr, /--network-weight must lie in 0\.\.1, got '1\.5'/);
    const both = await runCli(['segment', ...study(), '--out', path.join(dir, 'x'), '--no-registration', '--network-weight', '0.5']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--network-weight weighs the network against registered examples: drop it or --no-registration/);
    assert.equal((await runCli(['segment', ...study(), '--out', path.join(dir, 'x'), '--report', 'r.csv'])).code, 2);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'useg-empty-'));
    const { code, stderr } = await runCli(['segment', ...study(), '--support-labels', empty, '--out', path.join(dir, 'x')]);
    assert.equal(code, 1);
    assert.match(stderr, /no support pairs/);
    const first = await runCli(['segment', ...study(), '--support-labels', empty, '--out', path.join(dir, 'x'), '--network-weight', '2']);
    assert.equal(first.code, 2, 'a wrong argument is a usage error before any folder is read');
    assert.doesNotMatch(stderr, /\n\s+at /);
    assert.equal(fs.existsSync(path.join(dir, 'x')), false);

    // Support label maps that are all blank: nothing to segment from, said by name, nothing written.
    const blank = fs.mkdtempSync(path.join(os.tmpdir(), 'useg-blank-'));
    for (const name of fs.readdirSync(path.join(dir, 'support-labels'))) {
      const mask = await readVolume(path.join(dir, 'support-labels', name));
      await writePngMask(path.join(blank, name), new Uint8Array(mask.data.length), mask.size[0], mask.size[1]);
    }
    const none = await runCli(['segment', ...study(), '--support-labels', blank, '--out', path.join(dir, 'y')]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /the label map is empty \(no label painted\)/);
    assert.equal(fs.existsSync(path.join(dir, 'y')), false);
  });
});
