import { copyFileSync, cpSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ImageOnScreen, loadLabels, openAppAndWatchConsole, openByPath, shot, singleView } from './helpers.js';

/**
 * Coding a label's anatomy as a user does: search the bundled list, choose, export a .seg.nrrd that carries the
 * code as 3D Slicer reads it, or a DICOM SEG of a DICOM series, and load that file back with the code.
 */

const repo = path.resolve(import.meta.dirname, '../..');
const root = () => process.env.UNIVERSEG_ROOT!;
const SAMPLE = path.join(repo, 'assets/sample/volume');

/** Bytes start..end of an export as text, or '' while it is not written yet. */
function fileBytes(file: string, start: number, end: number): string {
  try {
    return readFileSync(file).subarray(start, end).toString('latin1');
  } catch {
    return '';
  }
}

openAppAndWatchConsole();

test('a label coded from the searchable list is exported to .seg.nrrd and read back on import', async ({ page }) => {
  test.setTimeout(120_000);
  mkdirSync(path.join(root(), 'terminology'), { recursive: true });
  for (const f of ['t1.nii.gz', 'labels-full.nii.gz']) copyFileSync(path.join(SAMPLE, f), path.join(root(), 'terminology', f));
  await openByPath(page, 'terminology/t1.nii.gz');
  await loadLabels(page, 'terminology/labels-full.nii.gz');

  await page.getByTestId('label-17').click();
  await expect(page.getByTestId('terminology-current')).toHaveText('not coded');
  await page.getByTestId('terminology-change').click();
  await page.getByTestId('terminology-search').fill('hippo');
  await expect(page.getByTestId('terminology-list').locator('li')).toHaveCount(1);
  await page.screenshot({ path: test.info().outputPath('terminology-search.png') });
  await page.getByTestId('terminology-5976004').click();
  await expect(page.getByTestId('terminology-current')).toHaveText('Hippocampus (SCT 5976004)');
  // An unnamed label takes the structure's name.
  await expect(page.getByTestId('label-name-17')).toHaveText('Hippocampus');
  await shot(page, 'terminology-chosen');

  const file = path.join(root(), 'terminology', 'coded.seg.nrrd');
  await page.getByTestId('export-path').fill(file);
  await page.getByTestId('export').click();
  await expect
    .poll(() => fileBytes(file, 0, 8192), { timeout: 30_000 })
    .toMatch(
      /_Tags:=TerminologyEntry:Segmentation category and type - 3D Slicer General Anatomy list~SCT\^123037004\^Anatomical Structure~SCT\^5976004\^Hippocampus~\^\^~Anatomic codes - DICOM master list~\^\^~\^\^\|/,
    );

  // Clear the code here, then load the file: the code comes back with it.
  await page.getByTestId('terminology-change').click();
  await page.getByTestId('terminology-clear').click();
  await expect(page.getByTestId('terminology-current')).toHaveText('not coded');
  await loadLabels(page, 'terminology/coded.seg.nrrd');
  await page.getByTestId('label-17').click();
  await expect(page.getByTestId('terminology-current')).toHaveText('Hippocampus (SCT 5976004)');
  await page.screenshot({ path: test.info().outputPath('terminology-read-back.png') });
});

test('a label of a DICOM series coded and exported as DICOM SEG comes back with its name, colour and code', async ({ page }) => {
  test.setTimeout(120_000);
  cpSync(path.join(root(), 'dicom_mr'), path.join(root(), 'terminology-dicom', 'series'), { recursive: true });
  await openByPath(page, 'terminology-dicom/series');
  await singleView(page);
  // The fixture series: 256 x 256 voxels of 0.859 mm.
  const screen = new ImageOnScreen(page, [220, 220]);
  await page.keyboard.press('b');
  await page.getByTestId('viewport').hover();
  await screen.stroke([0.4, 0.4], [0.6, 0.5]);
  await page.getByTestId('label-1').click();
  await page.getByTestId('terminology-change').click();
  await page.getByTestId('terminology-search').fill('hippo');
  await page.getByTestId('terminology-5976004').click();
  await expect(page.getByTestId('label-name-1')).toHaveText('Hippocampus');
  const colour = page.getByLabel('Colour of Hippocampus');
  await colour.fill('#dcd814');
  await expect(colour).toHaveValue('#dcd814');

  const voxels = await page.getByTestId('label-1').locator('.item-meta').textContent();
  expect(Number(voxels!.replace(/\D/g, ''))).toBeGreaterThan(0);

  const file = path.join(root(), 'terminology-dicom', 'coded.dcm');
  await page.getByTestId('export-path').fill(file);
  await page.getByTestId('export').click();
  // A DICOM Part 10 file: "DICM" after the 128-byte preamble.
  await expect.poll(() => fileBytes(file, 128, 132), { timeout: 30_000 }).toBe('DICM');

  // Clear the code, rename and recolour the label, then load the SEG: all three come back from it.
  await page.getByTestId('terminology-change').click();
  await page.getByTestId('terminology-clear').click();
  await expect(page.getByTestId('terminology-current')).toHaveText('not coded');
  await page.getByTestId('label-name-1').dblclick();
  await page.getByTestId('label-name-input').fill('Renamed');
  await page.getByTestId('label-name-input').press('Enter');
  await page.getByLabel('Colour of Renamed').fill('#40c850');
  await expect(page.getByLabel('Colour of Renamed')).toHaveValue('#40c850');
  await loadLabels(page, 'terminology-dicom/coded.dcm');
  await page.getByTestId('label-1').click();
  await expect(page.getByTestId('label-name-1')).toHaveText('Hippocampus');
  await expect(page.getByLabel('Colour of Hippocampus')).toHaveValue('#dcd814');
  await expect(page.getByTestId('label-1').locator('.item-meta')).toHaveText(voxels!);
  await expect(page.getByTestId('terminology-current')).toHaveText('Hippocampus (SCT 5976004)');
  await page.screenshot({ path: test.info().outputPath('terminology-dicom-seg-read-back.png') });
});
