import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { readLabelVolume } from '../../core/data/read-label-volume.js';
import { loadLabels, openAppAndWatchConsole, openByPath, rendered, shot } from './helpers.js';

/**
 * "Segment the rest" on a study of three small volumes (test/fixtures/batch: Colin27 at 3 mm, copied under three
 * names): one labelled from a label map, the two others segmented by a batch job with quick registration; the
 * report's rows, resume on a second run, the review queue opening a result, and a cancelled run leaving nothing.
 * The e2e server's model is a tiny test model: what is checked is the workflow, not the Dice.
 */

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/batch');
const root = () => process.env.UNIVERSEG_ROOT!;
const LABELS = 'batch-labels/colin27-3mm-labels.nii.gz';

/** A study folder of `names` in the e2e root, each a copy of the fixture volume; the label map outside it. */
function makeStudy(folder: string, names: readonly string[]): void {
  mkdirSync(path.join(root(), folder));
  for (const name of names) cpSync(path.join(FIXTURES, 'colin27-3mm.nii.gz'), path.join(root(), folder, name));
  mkdirSync(path.join(root(), 'batch-labels'), { recursive: true });
  cpSync(path.join(FIXTURES, 'colin27-3mm-labels.nii.gz'), path.join(root(), LABELS));
}

const job = (page: Page) => page.getByTestId('batch-panel').getByTestId('job-segment-volumes');
const volumeStates = (page: Page) => page.getByTestId('batch-volumes').locator('li');
const reportRows = (page: Page) => page.getByTestId('batch-report').locator('tbody tr');

openAppAndWatchConsole();

test('label one volume, segment the two others, resume, review the worst', async ({ page }) => {
  test.setTimeout(180_000);
  makeStudy('batch-study', ['a.nii.gz', 'b.nii.gz', 'c.nii.gz']);
  const labels = await readLabelVolume(path.join(root(), LABELS));
  const values = new Set([...labels.data].filter((v) => v !== 0));

  await openByPath(page, 'batch-study');
  await expect(page.getByTestId('item-list').locator('li')).toHaveCount(3);
  await loadLabels(page, LABELS);
  await expect(page.getByTestId('batch-panel')).toBeVisible();
  await page.getByTestId('batch-quick').check();

  await page.getByTestId('segment-rest').click();
  await expect(job(page)).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
  await expect(volumeStates(page)).toHaveCount(2);
  await expect(volumeStates(page).and(page.locator('[data-state="written"]'))).toHaveCount(2);
  const out = path.join(root(), 'batch-study-segmentations');
  for (const name of ['b.nii.gz', 'c.nii.gz', 'report.json', 'report.csv']) expect(existsSync(path.join(out, name)), name).toBe(true);
  // The labelled volume is the support, not a target.
  expect(existsSync(path.join(out, 'a.nii.gz'))).toBe(false);
  await expect(reportRows(page).and(page.locator('[data-status="segmented"]'))).toHaveCount(2 * values.size);
  const written = await readLabelVolume(path.join(out, 'b.nii.gz'));
  expect(written.size).toEqual(labels.size);
  expect(new Set(written.data).size).toBeGreaterThan(1);

  // The same support, settings and model again: both volumes are kept, none segmented.
  await page.getByTestId('segment-rest').click();
  await expect(job(page)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(volumeStates(page).and(page.locator('[data-state="resumed"]'))).toHaveCount(2);
  await expect(reportRows(page).and(page.locator('[data-status="resumed"]'))).toHaveCount(2 * values.size);
  await expect(reportRows(page).and(page.locator('[data-status="segmented"]'))).toHaveCount(0);
  await shot(page, '60-batch-resumed');

  // The review queue opens a volume with its result as its labels.
  const first = page.getByTestId('batch-review').getByRole('button').first();
  const itemId = await first.getAttribute('data-item');
  await rendered(page, () => first.click(), true);
  await expect(page.getByTestId('item-list').locator('button.item.active')).toContainText(itemId!);
  await expect(page.getByTestId('label-list')).toBeVisible();
});

test('a cancelled batch leaves no label map behind', async ({ page }) => {
  test.setTimeout(120_000);
  makeStudy('batch-cancel', ['a.nii.gz', 'b.nii.gz']);
  await openByPath(page, 'batch-cancel');
  await loadLabels(page, LABELS);
  // The engine's own registration settings: slow enough to cancel during the volume.
  await page.getByTestId('segment-rest').click();
  await expect(volumeStates(page).and(page.locator('[data-state="running"]'))).toHaveCount(1, { timeout: 60_000 });
  await job(page).getByTestId('job-cancel').click();
  await expect(job(page)).toHaveAttribute('data-state', 'cancelled', { timeout: 60_000 });
  const out = path.join(root(), 'batch-cancel-segmentations');
  // Only the run's staging folder: no label map, no report, no temporary file.
  expect(readdirSync(out)).toEqual(['.universeg']);
  expect(readdirSync(path.join(out, '.universeg'))).toEqual(['support']);
});
