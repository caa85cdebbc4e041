import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServe } from '../helpers/start-serve.js';

/**
 * Starts `universeg serve --root <a copy of test/fixtures/viewer, the sample volume and the sample's 2D slices> --port 0 --model <tiny
 * test model>` from the sources and hands its URL (with token) to the tests in UNIVERSEG_URL, the root in
 * UNIVERSEG_ROOT and the model in UNIVERSEG_MODEL. The copy lets tests save files; recent studies go to a
 * throwaway config folder, not the user's.
 */
export const E2E_MODEL = 'test/fixtures/workflow/tiny-model.safetensors';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const repo = path.resolve(import.meta.dirname, '../..');
  if (!existsSync(path.join(repo, 'renderer/dist/index.html')))
    throw new Error('renderer/dist is missing: run `npm run build:renderer` first');
  const scratch = mkdtempSync(path.join(tmpdir(), 'universeg-e2e-'));
  const config = path.join(scratch, 'config');
  const root = path.join(scratch, 'studies');
  cpSync(path.join(repo, 'test/fixtures/viewer'), root, { recursive: true });
  mkdirSync(path.join(root, 'sample'));
  cpSync(path.join(repo, 'assets/sample/volume/t1.nii.gz'), path.join(root, 'sample', 't1.nii.gz'));
  // A folder of 2D images: the sample's axial slices, labelled ones and those to segment together.
  for (const from of ['support-images', 'input'])
    cpSync(path.join(repo, 'assets/sample/2d', from), path.join(root, 'slices2d'), { recursive: true });
  const model = path.join(repo, E2E_MODEL);
  const { url, stop } = await startServe(repo, ['--root', root, '--port', '0', '--model', model], { configHome: config, from: 'sources' });
  process.env.UNIVERSEG_URL = url;
  process.env.UNIVERSEG_ROOT = root;
  process.env.UNIVERSEG_MODEL = model;

  return async () => {
    await stop();
    rmSync(scratch, { recursive: true, force: true });
  };
}
