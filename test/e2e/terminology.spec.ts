import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { loadLabels, openAppAndWatchConsole, openByPath, shot } from './helpers.js';

/**
 * Coding a label's anatomy as a user does: search the bundled list, choose, export a .seg.nrrd that carries the
 * code as 3D Slicer reads it, and load that file back with the code.
 */

const repo = path.resolve(import.meta.dirname, '../..');
const root = () => process.env.UNIVERSEG_ROOT!;
const SAMPLE = path.join(repo, 'assets/sample/volume');

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
    .poll(
      () => {
        try {
          return readFileSync(file).subarray(0, 8192).toString('latin1');
        } catch {
          return '';
        }
      },
      { timeout: 30_000 },
    )
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
