import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readLabelVolume } from '../../../core/data/read-label-volume.js';
import type { LabelVolume, Volume } from '../../../core/data/volume.js';
import { writeLabelVolume } from '../../../core/data/write-label-volume.js';
import { writePngMask } from '../../../core/data/write-png-mask.js';
import { writeFloatVolume } from '../../../core/infer/write-float-volume.js';
import { pseudoSubject } from '../../../core/eval/pseudo-subject.js';
import { segmentFolderArgs } from './segment-args.js';
import { runCli } from '../../helpers/run-cli.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'batch');
const MODEL = path.join(ROOT, 'test', 'fixtures', 'workflow', 'tiny-model.safetensors');
// Pseudo-subjects of a 3 mm brain: shifts and deformations in voxels scaled down from the 1 mm measurement's.
const SUBJECT = { translation: 2, deformation: 1, controlPoints: 4 };
const REGIONS = [2, 8];

function dice(a: Uint8Array, b: Uint8Array, value: number): number {
  let both = 0;
  let sum = 0;
  for (let n = 0; n < a.length; n++) {
    if (a[n] === value && b[n] === value) both++;
    if (a[n] === value) sum++;
    if (b[n] === value) sum++;
  }
  return (2 * both) / sum;
}

describe('universeg segment with support volumes (batch of issue #16)', () => {
  let dir: string;
  const truths = new Map<string, LabelVolume>();
  const study = (name = 'study') => [...segmentFolderArgs(dir, name), '--model', MODEL];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'useg-batch-'));
    const grey = await readLabelVolume(path.join(FIXTURES, 'colin27-3mm.nii.gz'));
    const image: Volume = { ...grey, data: Float32Array.from(grey.data) };
    const labels = await readLabelVolume(path.join(FIXTURES, 'colin27-3mm-labels.nii.gz'));
    for (const sub of ['support-images', 'support-labels', 'study']) fs.mkdirSync(path.join(dir, sub));
    for (const seed of [1, 2, 3, 4]) {
      const subject = pseudoSubject(image, labels, seed, SUBJECT);
      const name = `subject-${seed}`;
      const where = seed <= 2 ? 'support-images' : 'study';
      await writeFloatVolume(path.join(dir, where, `${name}.nii.gz`), { ...subject.image, source: '' });
      if (seed <= 2) {
        await writeLabelVolume(path.join(dir, 'support-labels', `${name}.nii.gz`), { ...subject.labels, source: '' });
        fs.copyFileSync(path.join(FIXTURES, 'colin27-3mm-labels.txt'), path.join(dir, 'support-labels', `${name}.txt`));
      }
      truths.set(name, subject.labels);
    }
  });

  it('writes one multi-label map per volume in its geometry, better than a copied support map, and a report', async () => {
    const out = path.join(dir, 'out');
    const report = path.join(dir, 'report.csv');
    const { code, stderr } = await runCli(['segment', ...study(), '--out', out, '--report', report]);
    assert.equal(code, 0, stderr);
    const copied = truths.get('subject-1')!;
    for (const seed of [3, 4]) {
      const result = await readLabelVolume(path.join(out, `subject-${seed}.nii.gz`));
      const truth = truths.get(`subject-${seed}`)!;
      assert.deepEqual(result.size, truth.size);
      assert.deepEqual([...new Set(result.data)].sort(), [0, ...REGIONS]);
      for (const r of REGIONS) {
        const [d, baseline] = [dice(result.data, truth.data, r), dice(copied.data, truth.data, r)];
        assert.ok(
          d > 0.6 && d > baseline,
          `subject-${seed}, region ${r}: Dice ${d.toFixed(3)} against ${baseline.toFixed(3)} for a copied support map`,
        );
      }
    }
    const rows = fs.readFileSync(report, 'utf8').trim().split('\n');
    assert.equal(
      rows[0],
      'volume,output,status,label,name,volumeMl,firstSlice,lastSlice,meanUncertainty,estimatedDice,priorDice,networkDice,networkWeight,seconds,note',
    );
    assert.equal(rows.length, 1 + 2 * REGIONS.length);
    const precentral = rows.find((r) => r.includes('subject-3.nii.gz') && r.includes('Precentral_R'))!.split(',');
    const truthMl = (truths.get('subject-3')!.data.filter((v) => v === 2).length * 27) / 1000;
    assert.ok(Math.abs(Number(precentral[5]) - truthMl) < 0.3 * truthMl, `volume ${precentral[5]} mL against ${truthMl} mL`);
    assert.ok(Number(precentral[9]) > 0.3, 'an estimated Dice from leave-one-out over the two support subjects');
  });

  it('keeps names and colours in a .seg.nrrd and reports as JSON', async () => {
    const out = path.join(dir, 'out-nrrd');
    const report = path.join(dir, 'report.json');
    const { code, stderr } = await runCli([
      'segment',
      ...study(),
      '--out',
      out,
      '--format',
      'seg.nrrd',
      '--report',
      report,
      '--network-weight',
      '0',
    ]);
    assert.equal(code, 0, stderr);
    const result = await readLabelVolume(path.join(out, 'subject-3.seg.nrrd'));
    for (const r of REGIONS) assert.ok(dice(result.data, truths.get('subject-3')!.data, r) > 0.6, `region ${r} found with the prior alone`);
    const header = fs.readFileSync(path.join(out, 'subject-3.seg.nrrd')).subarray(0, 4000).toString('latin1');
    assert.match(header, /Segment0_Name:=Precentral_R/);
    assert.match(header, /Segment1_LabelValue:=8/);
    const json = JSON.parse(fs.readFileSync(report, 'utf8'));
    assert.equal(json.rows.length, 2 * REGIONS.length);
    assert.ok(json.rows.every((r: { networkWeight: number }) => r.networkWeight === 0));
  });

  it('--resume skips volumes done with the same support, settings and model, and redoes them when the settings change', async () => {
    const out = path.join(dir, 'out');
    const before = fs.statSync(path.join(out, 'subject-3.nii.gz')).mtimeMs;
    const again = await runCli(['segment', ...study(), '--out', out, '--resume', '--json']);
    assert.equal(again.code, 0, again.stderr);
    const summary = JSON.parse(again.stdout);
    assert.equal(summary.resumed.length, 2);
    assert.equal(summary.written.length, 0);
    assert.equal(fs.statSync(path.join(out, 'subject-3.nii.gz')).mtimeMs, before);
    const changed = await runCli(['segment', ...study(), '--out', out, '--resume', '--json', '--network-weight', '1']);
    assert.equal(JSON.parse(changed.stdout).written.length, 2, changed.stderr);
  });

  it('two shards run in parallel write together what one unsharded run writes', async () => {
    const run = promisify(execFile);
    const settings = ['--network-weight', '0', '--format', 'seg.nrrd'];
    const shard = (i: number) =>
      run(
        process.execPath,
        [
          '--import',
          'tsx',
          '-e',
          `import('./core/cli.ts').then((m) => m.main(${JSON.stringify(['segment', ...study(), '--out', path.join(dir, 'sharded'), '--shard', `${i}/2`, ...settings])})).then((c) => process.exit(c))`,
        ],
        { cwd: ROOT },
      );
    await Promise.all([shard(1), shard(2)]);
    // The unsharded run with the same settings is the .seg.nrrd test's.
    const names = fs
      .readdirSync(path.join(dir, 'out-nrrd'))
      .filter((n) => n.endsWith('.seg.nrrd'))
      .sort();
    assert.equal(names.length, 2);
    assert.deepEqual(
      fs
        .readdirSync(path.join(dir, 'sharded'))
        .filter((n) => n.endsWith('.seg.nrrd'))
        .sort(),
      names,
    );
    for (const name of names) {
      const [a, b] = await Promise.all([
        readLabelVolume(path.join(dir, 'out-nrrd', name)),
        readLabelVolume(path.join(dir, 'sharded', name)),
      ]);
      assert.deepEqual(a.data, b.data, name);
    }
  });

  it('names bad input in the summary, loses nothing else and exits 3', async () => {
    const bad = path.join(dir, 'bad');
    fs.cpSync(path.join(dir, 'support-images'), path.join(bad, 'support-images'), { recursive: true });
    fs.cpSync(path.join(dir, 'support-labels'), path.join(bad, 'support-labels'), { recursive: true });
    fs.mkdirSync(path.join(bad, 'study'));
    fs.copyFileSync(path.join(dir, 'study', 'subject-3.nii.gz'), path.join(bad, 'study', 'subject-3.nii.gz'));
    const labels = truths.get('subject-1')!;
    // A label map that does not match its image (another size) ...
    await writeFloatVolume(path.join(bad, 'support-images', 'cropped.nii.gz'), {
      ...labels,
      data: Float32Array.from(labels.data),
      source: '',
    });
    await writeLabelVolume(path.join(bad, 'support-labels', 'cropped.nii.gz'), {
      ...labels,
      size: [labels.size[0], labels.size[1], labels.size[2] - 1],
      data: labels.data.subarray(0, labels.size[0] * labels.size[1] * (labels.size[2] - 1)),
      source: '',
    });
    // ... one on another grid than its image (shifted by 5 voxels) ...
    await writeFloatVolume(path.join(bad, 'support-images', 'shifted.nii.gz'), {
      ...labels,
      data: Float32Array.from(labels.data),
      source: '',
    });
    await writeLabelVolume(path.join(bad, 'support-labels', 'shifted.nii.gz'), {
      ...labels,
      origin: [labels.origin[0] + 15, labels.origin[1], labels.origin[2]],
      source: '',
    });
    // ... a study volume without contrast, which cannot register, and a 2D image among the volumes.
    await writeFloatVolume(path.join(bad, 'study', 'blank.nii.gz'), {
      ...labels,
      data: new Float32Array(labels.data.length).fill(7),
      source: '',
    });
    await writePngMask(path.join(bad, 'study', 'slice.png'), new Uint8Array(64 * 64).fill(128), 64, 64);
    const report = path.join(bad, 'report.json');
    const { code, stderr } = await runCli([
      'segment',
      ...segmentFolderArgs(bad, 'study'),
      '--model',
      MODEL,
      '--out',
      path.join(bad, 'out'),
      '--report',
      report,
    ]);
    assert.equal(code, 3, stderr);
    assert.match(stderr, /cropped\.nii\.gz: the label map .+ does not match its image/);
    assert.match(stderr, /shifted\.nii\.gz: the label map .+ lies on another grid than its image \(origin/);
    assert.match(stderr, /blank\.nii\.gz: no support volume registered onto it \(.*uniform/);
    assert.match(stderr, /slice\.png: a 2D image in a study segmented from support volumes/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    assert.ok(fs.existsSync(path.join(bad, 'out', 'subject-3.nii.gz')), 'the good volume is still segmented');
    const skipped = JSON.parse(fs.readFileSync(report, 'utf8')).rows.filter((r: { status: string }) => r.status === 'skipped');
    assert.equal(skipped.length, 4);
  });
});
