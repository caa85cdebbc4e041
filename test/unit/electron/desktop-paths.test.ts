import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureFolder } from '../../../core/engine/ensure-folder.js';
import { ApiError } from '../../../core/contract/errors.js';
import type { PathPolicy } from '../../../core/engine/paths.js';
import { recentStudiesFile } from '../../../core/engine/recent.js';
import { channels } from '../../../core/contract/desktop-bridge.js';
import { registerIpc } from '../../../electron/ipc.js';
import { desktopPaths, grantPicked } from '../../../core/engine/desktop-paths.js';
import { engineWith, tempFolder } from '../api/engine-fixture.js';

const ANATOMICAL = path.resolve(import.meta.dirname, '../../fixtures/viewer/anatomical.nii');

/** A home folder holding a study, a single image, private files and a link out of the study. */
let home: string;
let paths: PathPolicy;
before(async () => {
  home = tempFolder('universeg-home-');
  fs.mkdirSync(path.join(home, 'studies', 'brain'), { recursive: true });
  fs.copyFileSync(ANATOMICAL, path.join(home, 'studies', 'brain', 'anatomical.nii'));
  fs.mkdirSync(path.join(home, 'single'));
  fs.copyFileSync(ANATOMICAL, path.join(home, 'single', 'one.nii'));
  fs.writeFileSync(path.join(home, 'single', 'beside.txt'), 'beside the picked image');
  fs.mkdirSync(path.join(home, '.ssh'));
  fs.writeFileSync(path.join(home, '.ssh', 'id_ed25519'), 'private key');
  fs.symlinkSync(path.join(home, '.ssh'), path.join(home, 'studies', 'brain', 'keys'));
  paths = await desktopPaths(home, recentStudiesFile(path.join(home, 'no-recent.json')));
});
after(() => fs.rmSync(home, { recursive: true, force: true }));

const refused = async (work: Promise<unknown>) => {
  const err = await work.then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(err instanceof ApiError && err.code === 'forbidden', `expected forbidden, got ${String(err)}`);
};

describe('the desktop app reaches only what the user picked or dropped', () => {
  test('before anything is picked, nothing in the home folder is reachable', async () => {
    await refused(paths.resolveExisting(home));
    await refused(paths.resolveExisting(path.join(home, '.ssh', 'id_ed25519')));
    await refused(paths.resolveExisting('studies/brain'));
    await refused(paths.resolveWritable(path.join(home, 'labels.nii.gz')));
  });

  test('a picked folder opens, with everything below it; its siblings, its parent and links out of it do not', async () => {
    const picked = await grantPicked(paths, path.join(home, 'studies', 'brain'));
    assert.equal(picked, path.join(home, 'studies', 'brain'));
    assert.equal(await paths.resolveExisting(path.join(picked!, 'anatomical.nii')), path.join(picked!, 'anatomical.nii'));
    await refused(paths.resolveExisting(path.join(home, 'studies')));
    await refused(paths.resolveExisting(path.join(picked!, '..', '..', '.ssh', 'id_ed25519')));
    await refused(paths.resolveExisting(path.join(picked!, 'keys', 'id_ed25519')));
    assert.equal(await paths.permits(path.join(home, '.ssh')), false);
  });

  test("a picked folder's project folder and the masks folder beside it can be made; other folders beside it cannot", async () => {
    const picked = path.join(home, 'studies', 'brain');
    await grantPicked(paths, picked);
    assert.equal(
      await ensureFolder(paths, path.join(picked, '.universeg', 'anatomical.nii')),
      path.join(picked, '.universeg', 'anatomical.nii'),
    );
    assert.equal(await ensureFolder(paths, `${picked}-masks`), `${picked}-masks`);
    await refused(ensureFolder(paths, `${picked}-other`));
    assert.ok(!fs.existsSync(`${picked}-other`));
  });

  test("a picked (or dropped) image file opens its folder, the image's study folder", async () => {
    const picked = await grantPicked(paths, path.join(home, 'single', 'one.nii'));
    assert.equal(picked, path.join(home, 'single', 'one.nii'));
    assert.ok(await paths.permits(path.join(home, 'single', 'beside.txt')));
    await refused(paths.resolveExisting(path.join(home, '.ssh')));
  });

  test('what is no dropped file grants nothing: an empty path (a File the page made) or a relative one', async () => {
    assert.equal(await grantPicked(paths, ''), null);
    assert.equal(await grantPicked(paths, '.ssh'), null);
    assert.equal(await grantPicked(paths, { path: home }), null);
    await refused(paths.resolveExisting(path.join(home, '.ssh')));
  });

  test('recent studies were picked once: they open again after a restart, and nothing else does', async () => {
    const recentFile = path.join(home, 'recent.json');
    const first = engineWith(await desktopPaths(home, recentStudiesFile(recentFile)), recentFile);
    await refused(first.handlers.openStudy({ path: path.join(home, 'studies', 'brain') }));
    await first.close();
    const before = await desktopPaths(home, recentStudiesFile(recentFile));
    await grantPicked(before, path.join(home, 'studies', 'brain'));
    const opening = engineWith(before, recentFile);
    await opening.handlers.openStudy({ path: path.join(home, 'studies', 'brain') });
    await opening.close();
    const restarted = engineWith(await desktopPaths(home, recentStudiesFile(recentFile)), recentFile);
    const study = await restarted.handlers.openStudy({ path: path.join(home, 'studies', 'brain') });
    assert.deepEqual(
      study.items.map((i) => i.name),
      ['anatomical.nii'],
    );
    await refused(restarted.handlers.openStudy({ path: path.join(home, 'single') }));
    await restarted.close();
  });
});

describe('the IPC channel for dropped files', () => {
  test('our page gets the path granted; any other frame gets nothing and grants nothing', async () => {
    const handlers = new Map<string, (event: { senderFrame: { url: string } }, ...args: unknown[]) => unknown>();
    const granted: unknown[] = [];
    registerIpc({ handle: (channel: string, listener: never) => void handlers.set(channel, listener) } as never, {
      dispatch: async () => ({ ok: true, value: null }),
      pickStudy: async () => null,
      grantDropped: async (dropped) => {
        granted.push(dropped);
        return String(dropped);
      },
      isTrustedSender: (url) => url === 'app://viewer/index.html',
    });
    const drop = handlers.get(channels.grantDropped)!;
    assert.equal(await drop({ senderFrame: { url: 'https://evil.example/' } }, '/home/user'), null);
    assert.deepEqual(granted, []);
    assert.equal(await drop({ senderFrame: { url: 'app://viewer/index.html' } }, '/data/study'), '/data/study');
    assert.deepEqual(granted, ['/data/study']);
  });
});
