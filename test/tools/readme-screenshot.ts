/**
 * The README's screenshot (docs/screenshot-four-up.png): `universeg serve` with the shipped model on a copy of the
 * sample volume, its partial labels loaded (their labelled slices become support), propagated with the defaults,
 * in the four-up with the 3D view. From the repository root, after `npm run build:renderer`:
 *   node --import tsx test/tools/readme-screenshot.ts [--out docs/screenshot-four-up.png]
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { startServe } from '../helpers/start-serve.js';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'docs/screenshot-four-up.png' } } });
const repo = path.resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'universeg-screenshot-'));
const root = path.join(scratch, 'studies', 'sample');
mkdirSync(root, { recursive: true });
for (const f of ['t1.nii.gz', 'labels-partial.nii.gz']) cpSync(path.join(repo, 'assets/sample/volume', f), path.join(root, f));
const { url, stop } = await startServe(repo, ['--root', path.dirname(root), '--port', '0'], {
  configHome: path.join(scratch, 'config'),
  from: 'dist',
});
try {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  await page.goto(url);
  await page.getByTestId('study-path').fill('sample/t1.nii.gz');
  await page.getByTestId('study-open').click();
  await page.getByTestId('labels-path').fill('sample/labels-partial.nii.gz');
  await page.getByTestId('labels-load').click();
  await page.getByTestId('label-list').waitFor();
  await page.getByTestId('propagate').click();
  await page.locator('[data-testid="propagate-job"][data-state="done"]').waitFor({ timeout: 300_000 });
  await page.locator('[data-testid="surface-view"][data-state="ready"][data-drawing="false"]').waitFor({ timeout: 120_000 });
  await page.waitForTimeout(1000);
  await page.screenshot({ path: path.resolve(repo, values.out!) });
  await browser.close();
  console.log(`wrote ${values.out}`);
} finally {
  await stop();
  rmSync(scratch, { recursive: true, force: true });
}
