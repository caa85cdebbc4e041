import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { confinedPaths } from '../../../core/engine/paths.js';
import { readLabelVolume } from '../../../core/data/read-label-volume.js';
import { writeLabelVolume } from '../../../core/data/write-label-volume.js';
import { savedMapFile } from '../../helpers/saved-project.js';
import { engineWith, tempFolder } from './engine-fixture.js';

const ANATOMICAL = path.resolve(import.meta.dirname, '../../fixtures/viewer/anatomical.nii');
/** anatomical.nii is 33 x 41 x 25. */
const PLANE = 33 * 41;

let base: string;
before(() => (base = tempFolder('universeg-saves-')));
after(() => fs.rmSync(base, { recursive: true, force: true }));

/** A pid no process has any more. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

interface Session {
  folder: string;
  paint(index: number, value: number): Promise<void>;
  project(): ReturnType<ReturnType<typeof engineWith>['handlers']['getProject']>;
  labelAt(index: number): Promise<number>;
  close(): Promise<void>;
}

/** An engine over `study` (a folder holding anatomical.nii), its one item opened: a run of the app. */
async function session(study: string): Promise<Session> {
  const engine = engineWith(confinedPaths(study), path.join(base, 'recent.json'));
  const opened = await engine.handlers.openStudy({ path: '.' });
  const ref = { studyId: opened.id, itemId: opened.items[0]!.id };
  const project = await engine.handlers.getProject(ref);
  return {
    folder: project.folder,
    async paint(index, value) {
      const slice = { width: 33, height: 41, data: new Uint8Array(PLANE).fill(value) };
      await engine.handlers.setLabelSlice({ ...ref, axis: 2, index, slice, status: 'painted' });
    },
    project: () => engine.handlers.getProject(ref),
    async labelAt(index) {
      const slice = await engine.handlers.getLabelSlice({ ...ref, axis: 2, index });
      return slice?.data[0] ?? 0;
    },
    close: () => engine.close(),
  };
}

function newStudy(name: string): string {
  const study = path.join(base, name);
  fs.mkdirSync(study);
  fs.copyFileSync(ANATOMICAL, path.join(study, 'anatomical.nii'));
  return study;
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const saved = (folder: string) => JSON.parse(fs.readFileSync(path.join(folder, 'project.json'), 'utf8'));

/** Three saves: slice 0 painted 1, then 2, then 3. */
async function threeSaves(study: string): Promise<string> {
  let folder = '';
  for (const value of [1, 2, 3]) {
    const s = await session(study);
    await s.paint(0, value);
    await s.close();
    folder = s.folder;
  }
  return folder;
}

describe('a save is one commit', () => {
  test('project.json names the generation and the checksum of each map; the generation before is kept, older ones go', async () => {
    const folder = await threeSaves(newStudy('commits'));
    const json = saved(folder);
    assert.equal(json.commit.generation, 3);
    assert.equal(json.commit.labels.file, 'labels.g3.nii.gz');
    assert.equal(json.commit.labels.sha256, sha256(path.join(folder, 'labels.g3.nii.gz')));
    assert.equal(json.previous.commit.generation, 2);
    assert.deepEqual(
      fs
        .readdirSync(folder)
        .filter((n) => n.endsWith('.nii.gz'))
        .sort(),
      ['labels.g2.nii.gz', 'labels.g3.nii.gz'],
    );
    assert.equal((await readLabelVolume(path.join(folder, 'labels.g3.nii.gz'))).data[0], 3);
  });

  test('a kill between the label map and project.json: the last complete save opens, and the user is told', async () => {
    const study = newStudy('interrupted');
    const folder = await threeSaves(study);
    // What a kill leaves: the next generation's map written (here: slice 0 painted 9), its project.json never.
    const next = await readLabelVolume(path.join(folder, 'labels.g3.nii.gz'));
    next.data.fill(9, 0, PLANE);
    await writeLabelVolume(path.join(folder, 'labels.g4.nii.gz'), { ...next, source: '' });
    const s = await session(study);
    const project = await s.project();
    assert.equal(await s.labelAt(0), 3, 'the labels of the committed save, not the torn one');
    assert.match(project.recovery ?? '', /interrupted \(labels\.g4\.nii\.gz never committed\).*generation 3/);
    assert.ok(!fs.existsSync(path.join(folder, 'labels.g4.nii.gz')));
    await s.paint(1, 5);
    await s.close();
    assert.equal(saved(folder).commit.generation, 4, 'the next save commits after the restored one');
  });

  test('a map that fails its checksum: the save before it is restored, and the user is told', async () => {
    const study = newStudy('damaged');
    const folder = await threeSaves(study);
    fs.copyFileSync(path.join(folder, 'labels.g2.nii.gz'), path.join(folder, 'labels.g3.nii.gz'));
    const s = await session(study);
    assert.equal(await s.labelAt(0), 2);
    assert.match((await s.project()).recovery ?? '', /labels\.g3\.nii\.gz does not match its checksum.*generation 2\) was restored/);
    await s.close();
  });

  test('a missing map with no earlier save to fall back on is an error naming the file', async () => {
    const study = newStudy('lost');
    const s = await session(study);
    await s.paint(0, 1);
    await s.close();
    fs.rmSync(path.join(s.folder, 'labels.g1.nii.gz'));
    const again = await session(study).then(
      () => null,
      (err: Error) => err,
    );
    assert.match(again?.message ?? '', /labels\.g1\.nii\.gz is missing.*no earlier save/);
  });

  test('a project saved in the old layout (labels.nii.gz, no commit) still opens, and its next save migrates it', async () => {
    const study = newStudy('legacy');
    const folder = await threeSaves(study);
    const json = saved(folder);
    const { commit: _c, previous: _p, ...state } = json;
    fs.writeFileSync(path.join(folder, 'project.json'), JSON.stringify(state));
    fs.renameSync(path.join(folder, 'labels.g3.nii.gz'), path.join(folder, 'labels.nii.gz'));
    fs.rmSync(path.join(folder, 'labels.g2.nii.gz'));
    const s = await session(study);
    assert.equal(await s.labelAt(0), 3);
    assert.equal((await s.project()).recovery, null);
    await s.paint(1, 4);
    await s.close();
    assert.equal(saved(folder).commit.labels.file, 'labels.g1.nii.gz');
    assert.ok(!fs.existsSync(path.join(folder, 'labels.nii.gz')), 'the old map goes once the new commit is there');
    assert.equal(savedMapFile(folder, 'labels'), path.join(folder, 'labels.g1.nii.gz'));
  });
});

describe('what a crash leaves behind is swept', () => {
  test("a project folder's half-written temp files of a dead process go when the project opens; a live one's stay", async () => {
    const study = newStudy('tmp-files');
    const first = await session(study);
    await first.paint(0, 1);
    await first.close();
    const stale = path.join(first.folder, `.labels.g2.nii.gz.${deadPid()}.0a1b2c3d4e5f.tmp`);
    const live = path.join(first.folder, `.project.json.${process.pid}.0a1b2c3d4e5f.tmp`);
    fs.writeFileSync(stale, 'half a map');
    fs.writeFileSync(live, 'a save under way');
    const s = await session(study);
    assert.ok(!fs.existsSync(stale));
    assert.ok(fs.existsSync(live));
    await s.close();
  });

  test('upload and encode folders of a dead process go when an engine starts; those of live processes stay', async () => {
    const dead = path.join(os.tmpdir(), `universeg-upload-${deadPid()}-AbC123`);
    const encode = path.join(os.tmpdir(), `universeg-encode-${deadPid()}-AbC123`);
    const mine = fs.mkdtempSync(path.join(os.tmpdir(), `universeg-upload-${process.pid}-`));
    for (const dir of [dead, encode]) fs.mkdirSync(path.join(dir, 'study'), { recursive: true });
    const engine = engineWith(confinedPaths(base), path.join(base, 'recent.json'));
    await engine.close();
    assert.ok(!fs.existsSync(dead) && !fs.existsSync(encode));
    assert.ok(fs.existsSync(mine));
    fs.rmSync(mine, { recursive: true });
  });
});
