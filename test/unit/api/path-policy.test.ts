import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ApiError } from '../../../core/contract/errors.js';
import { confinedPaths } from '../../../core/engine/paths.js';
import type { Engine } from '../../../core/engine/engine-parts.js';
import { engineWith, mhdHeader, tempFolder } from './engine-fixture.js';

const ANATOMICAL = path.resolve(import.meta.dirname, '../../fixtures/viewer/anatomical.nii');

/** A served root with links and headers that lead out of it, and the folder they lead to. */
let base: string;
let root: string;
let outside: string;
let engine: Engine;

before(() => {
  base = tempFolder('universeg-policy-');
  root = path.join(base, 'root');
  outside = path.join(base, 'outside');
  fs.mkdirSync(path.join(root, 'study'), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.raw'), Buffer.alloc(1234));
  fs.copyFileSync(ANATOMICAL, path.join(outside, 'private.nii'));
  fs.copyFileSync(ANATOMICAL, path.join(root, 'study', 'anatomical.nii'));
  engine = engineWith(confinedPaths(root), path.join(base, 'recent.json'), base);
});
after(async () => {
  await engine.close();
  fs.rmSync(base, { recursive: true, force: true });
});

const refusal = async (work: Promise<unknown>): Promise<ApiError> => {
  const err = await work.then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(err instanceof ApiError, `expected a refusal, got ${String(err)}`);
  return err;
};

describe('a scan stays inside the served folder', () => {
  test('a link in the root to a folder outside is reported, not followed: nothing of what is there is listed', async () => {
    const dir = path.join(root, 'linked');
    fs.mkdirSync(dir);
    fs.copyFileSync(ANATOMICAL, path.join(dir, 'own.nii'));
    fs.symlinkSync(outside, path.join(dir, 'etc'));
    fs.symlinkSync(path.join(outside, 'private.nii'), path.join(dir, 'private-link.nii'));
    const study = await engine.handlers.openStudy({ path: 'linked' });
    assert.deepEqual(
      study.items.map((i) => i.name),
      ['own.nii'],
    );
    const problems = Object.fromEntries(study.problems.map((p) => [path.basename(p.path), p.message]));
    assert.deepEqual(Object.keys(problems).sort(), ['etc', 'private-link.nii']);
    const listing = await engine.handlers.listDirectory({ path: 'linked' });
    assert.deepEqual(
      listing.entries.map((e) => e.name),
      ['own.nii'],
      'a folder listing leaves the links out too',
    );
    for (const message of Object.values(problems)) {
      assert.match(message, /a link out of .*; not followed/);
      assert.doesNotMatch(message, /secret|private\.nii/, 'what lies outside is not named');
    }
  });
});

describe("a MetaImage header's data file must lie in the header's allowed folder", () => {
  const openHeader = async (name: string, header: string) => {
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'image.mhd'), header);
    fs.writeFileSync(path.join(dir, 'own.raw'), Buffer.alloc(4));
    return refusal(engine.handlers.openStudy({ path: name }));
  };

  test('one named by a relative path out of the root is refused by name, its size never reported', async () => {
    const err = await openHeader('relative', mhdHeader('../../outside/secret.raw'));
    assert.match(err.message, /data file .*secret\.raw lies outside .*root; refused/);
    assert.doesNotMatch(err.message, /1234|truncated/);
  });

  test('one named by an absolute path is refused before it is looked at (a missing one is not called missing)', async () => {
    const err = await openHeader('absolute', mhdHeader(path.join(outside, 'nowhere.raw')));
    assert.match(err.message, /nowhere\.raw lies outside/);
    assert.doesNotMatch(err.message, /missing/);
  });

  test('one reached through a link inside the root that leads out is refused too', async () => {
    fs.symlinkSync(path.join(outside, 'secret.raw'), path.join(root, 'secret-link.raw'));
    const err = await openHeader('linked-data', mhdHeader('../secret-link.raw'));
    assert.match(err.message, /secret-link\.raw lies outside .* \(a link\)|secret-link\.raw .*outside/);
    assert.doesNotMatch(err.message, /1234|truncated/);
  });

  test('the LIST and %d forms: every file named must lie inside', async () => {
    const list = await openHeader('list', `${mhdHeader('LIST')}own.raw\n../../outside/secret.raw\n`);
    assert.match(list.message, /secret\.raw lies outside/);
    const pattern = await openHeader('pattern', mhdHeader('../../outside/slice%03d.raw 1 3 1'));
    assert.match(pattern.message, /outside\/slice001\.raw lies outside/);
  });

  test('a data file beside its header opens as before', async () => {
    const dir = path.join(root, 'fine');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'image.mhd'), mhdHeader('image.raw'));
    fs.writeFileSync(path.join(dir, 'image.raw'), Buffer.from([0, 1, 2, 3]));
    const study = await engine.handlers.openStudy({ path: 'fine' });
    assert.deepEqual(
      study.items.map((i) => i.name),
      ['image.mhd'],
    );
    const info = await engine.handlers.getVolumeInfo({ studyId: study.id, itemId: study.items[0]!.id });
    assert.deepEqual(info.size, [2, 2, 1]);
  });

  test('a label file loaded into a project is held to the same rule', async () => {
    const study = await engine.handlers.openStudy({ path: 'study' });
    fs.writeFileSync(path.join(root, 'study', 'labels.mhd'), mhdHeader('../../outside/secret.raw'));
    const loading = engine.handlers.loadLabels({ studyId: study.id, itemId: study.items[0]!.id, path: 'study/labels.mhd' });
    const err = (await loading.then(
      () => null,
      (e: unknown) => e,
    )) as Error;
    assert.match(err.message, /secret\.raw lies outside/);
    assert.doesNotMatch(err.message, /1234|truncated/);
  });

  test("an upload's header may only name files uploaded with it, not even files of the served root", async () => {
    fs.writeFileSync(path.join(root, 'root.raw'), Buffer.alloc(4));
    const header = mhdHeader(path.join(root, 'root.raw'));
    const err = await refusal(engine.handlers.uploadStudy({ name: 'dropped', files: [{ path: 'image.mhd', data: Buffer.from(header) }] }));
    assert.match(err.message, /root\.raw lies outside .*universeg-upload-/);
    const own = await engine.handlers.uploadStudy({
      name: 'dropped',
      files: [
        { path: 'image.mhd', data: Buffer.from(mhdHeader('image.raw')) },
        { path: 'image.raw', data: Buffer.alloc(4) },
      ],
    });
    assert.deepEqual(
      own.items.map((i) => i.name),
      ['image.mhd'],
    );
  });
});

describe('project folders are cleared by the policy before anything is made or read', () => {
  test('a .universeg link out of the root: the save is refused and nothing is created outside', async () => {
    const dir = path.join(root, 'linked-project');
    const target = path.join(base, 'project-target');
    fs.mkdirSync(dir);
    fs.mkdirSync(target);
    fs.copyFileSync(ANATOMICAL, path.join(dir, 'anatomical.nii'));
    fs.symlinkSync(target, path.join(dir, '.universeg'));
    const own = engineWith(confinedPaths(root), path.join(base, 'recent.json'));
    const study = await own.handlers.openStudy({ path: 'linked-project' });
    const ref = { studyId: study.id, itemId: study.items[0]!.id };
    const info = await own.handlers.getVolumeInfo(ref);
    const slice = { width: info.size[0], height: info.size[1], data: new Uint8Array(info.size[0] * info.size[1]).fill(1) };
    await own.handlers.setLabelSlice({ ...ref, axis: 2, index: 0, slice, status: 'painted' });
    await own.close();
    const project = await own.handlers.getProject(ref);
    assert.match(project.saveError ?? '', /outside the served folder/);
    assert.deepEqual(fs.readdirSync(target), [], 'nothing was made through the link');
  });

  test('a project already waiting behind such a link is not read', async () => {
    const dir = path.join(root, 'planted');
    const target = path.join(base, 'planted-target');
    fs.mkdirSync(path.join(target, 'anatomical.nii'), { recursive: true });
    fs.writeFileSync(path.join(target, 'anatomical.nii', 'project.json'), '{}');
    fs.mkdirSync(dir);
    fs.copyFileSync(ANATOMICAL, path.join(dir, 'anatomical.nii'));
    fs.symlinkSync(target, path.join(dir, '.universeg'));
    const study = await engine.handlers.openStudy({ path: 'planted' });
    const err = await refusal(engine.handlers.getProject({ studyId: study.id, itemId: study.items[0]!.id }));
    assert.equal(err.code, 'forbidden');
  });
});

describe('recent studies', () => {
  test("a confined engine lists only the recent studies inside its root, not another root's", async () => {
    const recentFile = path.join(base, 'shared-recent.json');
    const other = engineWith(confinedPaths(base), recentFile);
    await other.handlers.openStudy({ path: path.join(outside, 'private.nii') });
    await other.close();
    const mine = engineWith(confinedPaths(root), recentFile);
    await mine.handlers.openStudy({ path: 'study' });
    const listed = await mine.handlers.recentStudies({});
    await mine.close();
    assert.deepEqual(
      listed.map((r) => path.basename(r.path)),
      ['study'],
    );
  });
});
