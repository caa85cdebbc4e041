import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { LabelStatistics } from '../../core/contract/index.js';
import { rounded } from '../../core/contract/statistics-csv.js';
import { canvasStats, loadLabels, openAppAndWatchConsole, openByPath, rendered, shot, singleView } from './helpers.js';

/**
 * Segment statistics and clean-up as a user drives them: the table shows what `universeg stats` prints for the same
 * files and exports the same CSV; a clean-up is previewed without changing anything, applied, and undone.
 */

const repo = path.resolve(import.meta.dirname, '../..');
const root = () => process.env.UNIVERSEG_ROOT!;
const SAMPLE = path.join(repo, 'assets/sample/volume');

openAppAndWatchConsole();

/** The sample volume and its labels in a folder of their own, so no other spec's project sees these edits. */
function copySample(folder: string): void {
  mkdirSync(path.join(root(), folder), { recursive: true });
  for (const f of ['t1.nii.gz', 'labels-full.nii.gz']) copyFileSync(path.join(SAMPLE, f), path.join(root(), folder, f));
}

function cli(...args: string[]): string {
  const r = spawnSync(
    process.execPath,
    [path.join(repo, 'bin/universeg.js'), 'stats', path.join(SAMPLE, 't1.nii.gz'), path.join(SAMPLE, 'labels-full.nii.gz'), ...args],
    { encoding: 'utf8' },
  );
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

async function voxelsOf(page: Page, value: number): Promise<number> {
  return Number(await page.getByTestId(`stats-row-${value}`).getByTestId('stats-voxels').textContent());
}

async function open(page: Page, folder: string): Promise<void> {
  copySample(folder);
  await openByPath(page, `${folder}/t1.nii.gz`);
  await singleView(page);
  await loadLabels(page, `${folder}/labels-full.nii.gz`);
  await expect(page.getByTestId('statistics-table').locator('tbody')).toHaveCount(2);
}

test('the statistics table and its CSV agree with universeg stats', async ({ page }) => {
  await open(page, 'stats');
  const expected = JSON.parse(cli('--json')) as Omit<LabelStatistics, 'color'>[];
  expect(expected.map((s) => s.value)).toEqual([17, 29]);
  for (const s of expected) {
    const row = page.getByTestId(`stats-row-${s.value}`);
    const [, ml, mean, sd] = rounded(s);
    await expect(row.getByTestId('stats-voxels')).toHaveText(String(s.voxels));
    await expect(row.getByTestId('stats-ml')).toHaveText(ml);
    await expect(row.getByTestId('stats-mean')).toHaveText(mean);
    await expect(row.getByTestId('stats-sd')).toHaveText(sd);
    // The viewer counts slices from 1.
    await expect(row.getByTestId('stats-extent')).toHaveText(s.extent.map(([a, b]) => `${a + 1}–${b + 1}`).join(' / '));
  }
  await page.getByTestId('statistics-panel').scrollIntoViewIfNeeded();
  await shot(page, 'statistics-table');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('stats-export').click()]);
  expect(download.suggestedFilename()).toBe('t1-statistics.csv');
  // The names differ (the app names labels "Label N", the CLI "Segment N"); every number is the same.
  const names = (csv: string) => csv.replace(/^(\d+),(Label|Segment) /gm, '$1,');
  expect(names(readFileSync((await download.path())!, 'utf8'))).toBe(names(cli('--csv')));
});

test('a clean-up is previewed without changing anything, applied as one edit, and undone', async ({ page }) => {
  await open(page, 'cleanup');
  const before = await voxelsOf(page, 17);
  const revision = await page.getByTestId('workflow-panel').getAttribute('data-revision');
  await page.getByTestId('label-17').click();
  await page.getByTestId('cleanup-op').selectOption('shrink');
  await page.getByTestId('cleanup-mm').fill('1');
  await shot(page, 'cleanup-before');
  const shown = await page.getByTestId('viewport').getAttribute('data-shown');
  const drawn = await canvasStats(page);

  // Preview: the slice on screen shows the label as it would be; nothing is saved.
  await rendered(page, () => page.getByTestId('cleanup-preview').click());
  await expect(page.getByTestId('cleanup-summary')).toContainText(/\d+ voxels change on \d+ slices/);
  const [, changed, slices] = /(\d+) voxels change on (\d+) slices/
    .exec((await page.getByTestId('cleanup-summary').textContent())!)!
    .map(Number);
  expect(changed).toBeGreaterThan(0);
  expect(slices).toBeGreaterThan(1);
  await shot(page, 'cleanup-preview');
  await expect(page.getByTestId('workflow-panel')).toHaveAttribute('data-revision', revision!);
  expect(await voxelsOf(page, 17)).toBe(before);

  // Apply: the table follows the edit; shrinking removes exactly the previewed voxels.
  await page.getByTestId('cleanup-apply').click();
  await expect.poll(() => voxelsOf(page, 17), { timeout: 15_000 }).toBe(before - changed!);
  await expect(page.getByTestId('cleanup-summary')).toHaveCount(0);
  await page.getByTestId('statistics-panel').scrollIntoViewIfNeeded();
  await shot(page, 'cleanup-applied');

  // Undo takes back every slice of it at once.
  await page.getByTestId('cleanup-undo').click();
  await expect.poll(() => voxelsOf(page, 17), { timeout: 15_000 }).toBe(before);
  // The slice on screen was one of those changed: undo stays there and draws it as it was.
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-shown', shown!);
  await expect.poll(async () => Math.abs((await canvasStats(page)).mean - drawn.mean)).toBeLessThan(0.01);
  await shot(page, 'cleanup-undone');
});

test('a clean-up of the slice on screen changes that slice alone', async ({ page }) => {
  await open(page, 'cleanup-slice');
  const before = await voxelsOf(page, 29);
  await page.getByTestId('label-29').click();
  await page.getByTestId('cleanup-op').selectOption('logical');
  await page.getByTestId('cleanup-operation').selectOption('add');
  await page.getByTestId('cleanup-other').selectOption('17');
  await page.getByTestId('cleanup-scope').selectOption('slice');
  await rendered(page, () => page.getByTestId('cleanup-preview').click());
  await expect(page.getByTestId('cleanup-summary')).toContainText(/voxels? change on 1 slice \(this one shown as it would be\)/);
  const changed = Number(/(\d+) voxel/.exec((await page.getByTestId('cleanup-summary').textContent())!)![1]);
  await shot(page, 'cleanup-slice-preview');
  await page.getByTestId('cleanup-apply').click();
  await expect.poll(() => voxelsOf(page, 29), { timeout: 15_000 }).toBe(before + changed);
  await shot(page, 'cleanup-slice-applied');
  await page.getByTestId('cleanup-undo').click();
  await expect.poll(() => voxelsOf(page, 29), { timeout: 15_000 }).toBe(before);
});
