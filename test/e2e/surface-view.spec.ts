import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { readMeshNode } from '@itk-wasm/mesh-io';
import { expect, test, type Page } from '@playwright/test';
import { labelColor } from '../../core/contract/label-palette.js';
import { loadLabels, openAppAndWatchConsole, openByPath } from './helpers.js';
import { nonBackground, pixelsOfColour, screenPixels } from './surface-pixels.js';
import { keep, surfacesReady } from './surface-helpers.js';

/**
 * The 3D view as a user meets it in the four-up: the surfaces of the visible labels in their colours, drawn with
 * WebGL (software WebGL2 in headless Chromium), following visibility and edits. Its speed on a 256³ label map: surface-view.perf.spec.ts.
 */

const repo = path.resolve(import.meta.dirname, '../..');
const root = () => process.env.UNIVERSEG_ROOT!;
const SAMPLE = path.join(repo, 'assets/sample/volume');

openAppAndWatchConsole();

/** The sample volume and its labels in a folder of their own, opened in the four-up with the full labels. */
async function openSample(page: Page, folder: string): Promise<void> {
  mkdirSync(path.join(root(), folder), { recursive: true });
  for (const f of ['t1.nii.gz', 'labels-full.nii.gz', 'labels-partial.nii.gz'])
    copyFileSync(path.join(SAMPLE, f), path.join(root(), folder, f));
  await openByPath(page, `${folder}/t1.nii.gz`);
  await expect(page.getByTestId('pane-3d-view')).toBeVisible();
  await loadLabels(page, `${folder}/labels-full.nii.gz`);
  await surfacesReady(page, 2);
}

// -1 while a build is under way.
async function triangles(page: Page): Promise<number> {
  return Number(/([\d,]+) triangles/.exec((await page.getByTestId('surface-status').textContent())!)?.[1]?.replace(/,/g, '') ?? -1);
}

test('the 3D view shows each visible label as a surface in its colour, and follows visibility and new labels', async ({ page }) => {
  test.setTimeout(180_000);
  await openSample(page, 'surface');

  const both = await keep(page, 'surface-two-labels');
  expect(nonBackground(both.pixels)).toBeGreaterThan(2000);
  const [c17, c29] = [labelColor(17), labelColor(29)];
  expect(pixelsOfColour(both.pixels, c17)).toBeGreaterThan(300);
  expect(pixelsOfColour(both.pixels, c29)).toBeGreaterThan(300);

  // Hiding a label takes its surface away; the other one stays.
  await page.getByTestId('label-visible-29').click();
  await surfacesReady(page, 1);
  const one = await keep(page, 'surface-label-29-hidden');
  expect(pixelsOfColour(one.pixels, c29)).toBeLessThan(50);
  expect(pixelsOfColour(one.pixels, c17)).toBeGreaterThan(300);

  // The label map changes (here a partial one replaces it): the surface is rebuilt from the new voxels, smaller.
  const before = await triangles(page);
  await loadLabels(page, 'surface/labels-partial.nii.gz');
  await expect.poll(() => triangles(page), { timeout: 30_000 }).toBeLessThan(before);
  await expect.poll(() => triangles(page), { timeout: 30_000 }).toBeGreaterThan(0);
  await keep(page, 'surface-after-new-labels');
});

test('opacity, rotation, reset and smoothing act on the 3D view', async ({ page }) => {
  test.setTimeout(180_000);
  await openSample(page, 'surface-controls');
  const c17 = labelColor(17);
  const opaque = await keep(page, 'surface-opaque');
  await page.getByTestId('surface-opacity').fill('0.3');
  const faint = await keep(page, 'surface-opacity-0.3');
  expect(pixelsOfColour(faint.pixels, c17)).toBeLessThan(pixelsOfColour(opaque.pixels, c17));
  await page.getByTestId('surface-opacity').fill('1');
  const canvas = page.getByTestId('surface-canvas');
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 40, { steps: 8 });
  await page.mouse.up();
  const turned = await keep(page, 'surface-rotated');
  await page.getByTestId('surface-reset').click();
  const front = await keep(page, 'surface-reset');
  expect(turned.png.equals(front.png)).toBe(false);
  // The wheel turned away from the user zooms in: the surfaces cover more of the view.
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -500);
  const zoomed = await keep(page, 'surface-zoomed');
  expect(nonBackground(zoomed.pixels)).toBeGreaterThan(nonBackground(front.pixels) * 1.3);
  await page.getByTestId('surface-reset').click();
  const reset = await keep(page, 'surface-reset-after-zoom');
  expect(reset.png.equals(front.png)).toBe(true);

  // Smoothing (windowed sinc) rebuilds the surface with the same triangles.
  const rough = await triangles(page);
  await page.getByTestId('surface-smooth').check();
  // On a quiet machine the rebuild can end before a poll sees it building: wait for the smoothed picture instead.
  await expect
    .poll(async () => (await screenPixels(page, page.getByTestId('surface-canvas'))).png.equals(reset.png), { timeout: 60_000 })
    .toBe(false);
  await surfacesReady(page, 2, 60_000);
  expect(await triangles(page)).toBe(rough);
  await keep(page, 'surface-smoothed');
});

test("the Export panel writes a label's surface, the same mesh `universeg mesh` writes", async ({ page }) => {
  test.setTimeout(120_000);
  mkdirSync(path.join(root(), 'surface-export'), { recursive: true });
  for (const f of ['t1.nii.gz', 'labels-full.nii.gz']) copyFileSync(path.join(SAMPLE, f), path.join(root(), 'surface-export', f));
  await openByPath(page, 'surface-export/t1.nii.gz');
  await loadLabels(page, 'surface-export/labels-full.nii.gz');
  await page.getByTestId('surface-export-label').selectOption('29');
  await page.getByTestId('surface-export-format').selectOption('.stl');
  const file = path.join(root(), 'surface-export', 'label29.stl');
  await page.getByTestId('surface-export-path').fill(file);
  await page.getByTestId('surface-export-run').click();
  await expect(page.locator('.notices')).toContainText(/Exported [\d,]+ triangles/, { timeout: 30_000 });
  const fromApp = await readMeshNode(file);
  const cliFile = path.join(root(), 'surface-export', 'cli.stl');
  const args = [
    'mesh',
    path.join(SAMPLE, 't1.nii.gz'),
    path.join(SAMPLE, 'labels-full.nii.gz'),
    '--label',
    '29',
    '--out',
    cliFile,
    '--json',
  ];
  // The CLI from the sources (bin/universeg.js runs dist/, which may be older than them).
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '-e', `import('./core/cli.ts').then((m) => m.main(${JSON.stringify(args)})).then((c) => process.exit(c))`],
    { encoding: 'utf8', cwd: repo },
  );
  expect(r.status, r.stderr).toBe(0);
  const fromCli = await readMeshNode(cliFile);
  expect(fromApp.numberOfCells).toBe(JSON.parse(r.stdout).triangles);
  expect(Array.from(fromApp.points!)).toEqual(Array.from(fromCli.points!));
});
