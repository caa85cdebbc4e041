import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { readLabelVolume } from '../../core/data/read-label-volume.js';
import { readVolume } from '../../core/data/read-volume.js';
import { savedMapFile } from '../helpers/saved-project.js';
import { canvasStats, ImageOnScreen, openAppAndWatchConsole, openByPath, propagateAndWait, rendered, shot, singleView } from './helpers.js';

/**
 * The workstation's workflow as a user drives it: annotate two slices, undo and redo, mark them as support,
 * propagate (a job with progress), look at the predictions and their uncertainty, correct one and accept it,
 * propagate again, export, and find everything again after reloading the page. The export must equal what
 * `universeg propagate` makes of the same support slices.
 */

const repo = path.resolve(import.meta.dirname, '../..');
const root = () => process.env.UNIVERSEG_ROOT!;
// sample/t1.nii.gz: 60 x 88 x 61 voxels of 1 mm, axial slices along k.
const VOLUME = 'sample/t1.nii.gz';

openAppAndWatchConsole();

/** Scrolls to an axial slice and waits until it is the one drawn. */
async function goToSlice(page: Page, index: number): Promise<void> {
  await page.getByTestId('slice-slider').fill(String(index));
  await expect(page.getByTestId('slice-label')).toHaveText(`Slice ${index + 1} / 61`);
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-shown', `2/${index}`);
}

test('annotate, propagate, review and correct, export, reload', async ({ page }) => {
  test.setTimeout(180_000);
  const screen = new ImageOnScreen(page, [60, 88]);
  await openByPath(page, VOLUME);
  await singleView(page);
  await expect(page.getByTestId('label-list').locator('li')).toHaveCount(1);
  await page.getByTestId('label-name-1').dblclick();
  await page.getByTestId('label-name-input').fill('Insula');
  await page.getByTestId('label-name-input').press('Enter');
  await expect(page.getByTestId('active-label')).toHaveText('Insula');

  // Two slices painted with the brush; [ and ] size it.
  await page.keyboard.press('b');
  await page.getByTestId('viewport').hover();
  for (let n = 0; n < 3; n++) await page.keyboard.press(']');
  await expect(page.getByTestId('brush-size-value')).toHaveText('10 px');
  await goToSlice(page, 20);
  await screen.stroke([0.35, 0.45], [0.55, 0.5]);
  await expect(page.getByTestId('current-status')).toHaveText('Labelled, not support');
  const painted = await canvasStats(page);
  expect(painted.red).toBeGreaterThan(0.005);
  await shot(page, '20-brush-first-slice');
  await goToSlice(page, 40);
  await screen.stroke([0.4, 0.4], [0.6, 0.55]);
  await shot(page, '21-brush-second-slice');

  // Undo and redo, from the keyboard.
  await rendered(page, () => page.keyboard.press('Control+z'));
  await expect(page.getByTestId('current-status')).toHaveText('Not labelled');
  expect((await canvasStats(page)).red).toBe(0);
  await shot(page, '22-undone');
  await rendered(page, () => page.keyboard.press('Control+y'));
  await expect(page.getByTestId('current-status')).toHaveText('Labelled, not support');
  expect((await canvasStats(page)).red).toBeGreaterThan(0.005);

  // Both become support (M): the panel counts them and shows their thumbnails.
  await page.keyboard.press('m');
  await expect(page.getByTestId('current-status')).toHaveText('Support slice');
  await goToSlice(page, 20);
  await page.keyboard.press('m');
  await expect(page.getByTestId('support-count')).toHaveText('2');
  await expect(page.getByTestId('support-thumbs').locator('img')).toHaveCount(2);
  await expect(page.getByTestId('support-counts')).toContainText('Insula2 slices');
  await shot(page, '23-support-marked');

  // Propagate: one of the two nearest support slices per member, four members, the network weighed 0.6 against
  // the interpolated shape (the default is 0.5).
  await page.getByTestId('support-size').fill('1');
  await page.getByTestId('ensemble').fill('4');
  await expect(page.getByTestId('network-weight')).toHaveValue('0.5');
  await page.getByTestId('network-weight').fill('0.6');
  await propagateAndWait(page);
  await expect(page.getByTestId('review-count')).toHaveText('59');
  // No support slice lies past 20 or 40: the label is taken to end half their spacing beyond (slices 10..50,
  // shown from 1), less where its area falls. Network and shape both ran: an estimated Dice.
  const extentFrom = Number(await page.getByTestId('extent-from-1').inputValue());
  const extentTo = Number(await page.getByTestId('extent-to-1').inputValue());
  expect(extentFrom).toBeGreaterThanOrEqual(11);
  expect(extentFrom).toBeLessThanOrEqual(21);
  expect(extentTo).toBeGreaterThanOrEqual(41);
  expect(extentTo).toBeLessThanOrEqual(51);
  await expect(page.getByTestId('estimated-dice-1')).toHaveText(/^\d{1,3}$/);
  await goToSlice(page, 5);
  expect((await canvasStats(page)).red).toBe(0);
  await goToSlice(page, 30);
  await expect(page.getByTestId('slice-status')).toHaveText('Predicted');
  const predicted = await canvasStats(page);
  expect(predicted.red).toBeGreaterThan(0.001);
  await shot(page, '24-predicted-slice');

  // Review: the most uncertain predicted slice first; paint a correction onto it (near a label's estimated end the
  // prediction can be small enough for a stroke of the eraser to remove whole), accept it.
  await goToSlice(page, 20);
  await rendered(page, () => page.getByTestId('review-next').click());
  await expect(page.getByTestId('review-position')).toHaveText('1 / 59');
  const reviewed = Number((await page.getByTestId('slice-label').textContent())!.match(/Slice (\d+)/)![1]) - 1;
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-shown', `2/${reviewed}`);
  await page.keyboard.press('b');
  await screen.stroke([0.45, 0.45], [0.55, 0.5]);
  await expect(page.getByTestId('current-status')).toHaveText('Labelled, not support');
  await shot(page, '25-corrected');
  await page.getByTestId('accept').click();
  await expect(page.getByTestId('support-count')).toHaveText('3');
  await expect(page.getByTestId('review-count')).toHaveText('58');

  // Propagate again from three support slices, the label's slices set to 16..46 (15..45 from 0); members now draw
  // from different pairs: the uncertainty shows.
  await page.getByTestId('extent-from-1').fill('16');
  await page.getByTestId('extent-from-1').press('Tab');
  await page.getByTestId('extent-to-1').fill('46');
  await page.getByTestId('extent-to-1').press('Tab');
  await expect(page.getByTestId('extent-to-1')).toHaveValue('46');
  await expect(page.getByTestId('extent-reset-1')).toBeVisible();
  await propagateAndWait(page);
  // A support slice outside them (the review can pick one near the label's estimated end) widens them to it.
  await expect(page.getByTestId('extent-from-1')).toHaveValue(String(Math.min(16, reviewed + 1)));
  await expect(page.getByTestId('extent-to-1')).toHaveValue(String(Math.max(46, reviewed + 1)));
  await expect(page.getByTestId('estimated-dice-1')).toHaveText(/^\d{1,3}$/);
  await expect(page.getByTestId('suggested-slice')).toContainText('Next slice worth painting');
  await page.getByTestId('go-suggested').click();
  const suggested = Number(await page.getByTestId('go-suggested').textContent());
  await expect(page.getByTestId('slice-label')).toHaveText(`Slice ${suggested} / 61`);
  await shot(page, '26a-label-extents');
  await goToSlice(page, 20);
  await rendered(page, () => page.keyboard.press('.'));
  await expect(page.getByTestId('review-position')).toHaveText('1 / 58');
  const uncertain = Number((await page.getByTestId('slice-label').textContent())!.match(/Slice (\d+)/)![1]) - 1;
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-shown', `2/${uncertain}`);
  await shot(page, '26-propagated-again');
  await rendered(page, () => page.keyboard.press('u'));
  expect((await canvasStats(page)).amber).toBeGreaterThan(0.001);
  await shot(page, '27-uncertainty');
  await rendered(page, () => page.keyboard.press('u'));
  const exported = path.join(root(), 'sample', 't1-labels.nii.gz');
  await expect(page.getByTestId('export-path')).toHaveValue(exported);
  await page.getByTestId('export').click();
  await expect(page.getByTestId('notice').last()).toContainText(`Exported to ${exported}`);

  // Read back: the image's geometry, and exactly what the command line makes of the same support slices.
  const image = await readVolume(path.join(root(), VOLUME));
  const labels = await readLabelVolume(exported);
  expect([labels.size, labels.spacing, labels.origin, labels.direction]).toEqual([
    image.size,
    image.spacing,
    image.origin,
    image.direction,
  ]);
  const project = JSON.parse(readFileSync(path.join(root(), 'sample/.universeg/t1.nii.gz/project.json'), 'utf8')) as {
    support: number[];
    predicted: number[];
  };
  expect(project.support).toEqual([20, 40, reviewed].sort((a, b) => a - b));
  expect(project.predicted).toHaveLength(58);
  const slicePixels = 60 * 88;
  const voxelsOn = (k: number) => labels.data.subarray(k * slicePixels, (k + 1) * slicePixels).filter((v) => v === 1).length;
  expect(voxelsOn(20)).toBeGreaterThan(50);
  expect(voxelsOn(40)).toBeGreaterThan(50);
  for (const k of [10, 14, 46, 50].filter((k) => k !== reviewed)) expect(voxelsOn(k), `slice ${k}, outside the label's slices`).toBe(0);
  const cli = path.join(root(), 'cli-propagated.nii.gz');
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      'import("./core/cli.ts").then(async (m) => process.exit(await m.main(process.argv.slice(1))))',
      'propagate',
      path.join(root(), VOLUME),
      '--labels',
      exported,
      '--labelled-slices',
      project.support.join(','),
      '--support-size',
      '1',
      '--ensemble',
      '4',
      '--network-weight',
      '0.6',
      '--extent',
      '1:15-45',
      '--seed',
      '0',
      '--model',
      process.env.UNIVERSEG_MODEL!,
      '--out',
      cli,
    ],
    { cwd: repo, encoding: 'utf8' },
  );
  expect(run.status, run.stderr).toBe(0);
  const expected = await readLabelVolume(cli);
  expect(Buffer.from(labels.data).equals(Buffer.from(expected.data))).toBe(true);

  // A reload finds the study, the slice on screen, the labels, their names and the support where they were.
  const where = await page.getByTestId('slice-label').textContent();
  await page.reload();
  await expect(page.getByTestId('item-list')).toContainText('t1.nii.gz');
  await expect(page.getByTestId('slice-label')).toHaveText(where!);
  await expect(page.getByTestId('label-name-1')).toHaveText('Insula');
  await expect(page.getByTestId('support-count')).toHaveText('3');
  await expect(page.getByTestId('review-count')).toHaveText('58');
  await goToSlice(page, 20);
  await expect(page.getByTestId('current-status')).toHaveText('Support slice');
  expect((await canvasStats(page)).red).toBeGreaterThan(0.005);
  await shot(page, '28-after-reload');
  expect(savedMapFile(path.join(root(), 'sample/.universeg/t1.nii.gz'), 'labels')).not.toBeNull();
});

test('labels: several, locked, hidden; polygon, fill and the threshold brush', async ({ page }) => {
  // A fresh copy of anatomical.nii (33 x 41 x 25 voxels of 2 mm, slice 13 shown first): no project yet.
  const screen = new ImageOnScreen(page, [66, 82]);
  mkdirSync(path.join(root(), 'paint'), { recursive: true });
  copyFileSync(path.join(root(), 'anatomical.nii'), path.join(root(), 'paint', 'anatomical.nii'));
  await openByPath(page, 'paint/anatomical.nii');
  await singleView(page);
  await page.getByTestId('label-add').click();
  await expect(page.getByTestId('label-list').locator('li')).toHaveCount(2);
  await expect(page.getByTestId('active-label')).toHaveText('Label 2');

  // A polygon of label 2 (green): corners clicked, Enter fills it.
  await page.keyboard.press('g');
  for (const [fx, fy] of [
    [0.3, 0.3],
    [0.7, 0.3],
    [0.7, 0.6],
    [0.3, 0.6],
  ] as const)
    await screen.click(fx, fy);
  await shot(page, '30-polygon-drawn');
  const revision = await page.getByTestId('workflow-panel').getAttribute('data-revision');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('workflow-panel')).not.toHaveAttribute('data-revision', revision!);
  await rendered(page, () => page.mouse.move(2, 2));
  const polygon = await canvasStats(page);
  expect(polygon.green).toBeGreaterThan(0.03);
  await shot(page, '31-polygon-filled');

  // Label 2 locked: label 1's brush and the eraser pass over it without changing it.
  // Lock and visibility changes go through the host and come back: wait for them before acting on them.
  await page.getByTestId('label-lock-2').click();
  await expect(page.getByTestId('label-lock-2')).toHaveAttribute('aria-label', 'Unlock Label 2');
  await page.getByTestId('label-1').click();
  await expect(page.getByTestId('active-label')).toHaveText('Label 1');
  await page.keyboard.press('b');
  await screen.stroke([0.1, 0.45], [0.9, 0.45]);
  const brushed = await canvasStats(page);
  expect(brushed.red).toBeGreaterThan(0.005);
  expect(brushed.green).toBeCloseTo(polygon.green, 5);
  await shot(page, '32-brush-around-locked');
  await page.keyboard.press('e');
  await screen.stroke([0.1, 0.45], [0.9, 0.45]);
  const erased = await canvasStats(page);
  expect(erased.red).toBeLessThan(brushed.red);
  expect(erased.green).toBeCloseTo(polygon.green, 5);

  // Hidden, label 2 is not drawn; shown again, it is.
  await page.getByTestId('label-visible-2').click();
  await expect(page.getByTestId('label-visible-2')).toHaveAttribute('aria-label', 'Show Label 2');
  await expect.poll(async () => (await canvasStats(page)).green).toBe(0);
  await page.getByTestId('label-visible-2').click();
  await expect.poll(async () => (await canvasStats(page)).green).toBeCloseTo(polygon.green, 5);

  // Unlocked, the fill tool turns the polygon's region into label 1.
  await page.getByTestId('label-lock-2').click();
  await page.keyboard.press('f');
  await expect(page.getByTestId('label-lock-2')).toHaveAttribute('aria-label', 'Lock Label 2');
  const beforeFill = await page.getByTestId('workflow-panel').getAttribute('data-revision');
  await screen.click(0.35, 0.35);
  await expect(page.getByTestId('workflow-panel')).not.toHaveAttribute('data-revision', beforeFill!);
  await rendered(page, () => page.mouse.move(2, 2));
  const filled = await canvasStats(page);
  expect(filled.green).toBe(0);
  expect(filled.red).toBeGreaterThan(polygon.green * 0.9);
  await shot(page, '33-filled');

  // The threshold brush paints label 3 only where the image is bright (8000 and up).
  await page.getByTestId('label-add').click();
  await page.keyboard.press('t');
  await page.getByTestId('threshold-min').fill('8000');
  await page.getByTestId('threshold-max').fill('40000');
  await screen.stroke([0.1, 0.8], [0.9, 0.8]);
  await shot(page, '34-threshold-brush');
  const project = path.join(root(), 'paint', '.universeg', 'anatomical.nii');
  const image = await readVolume(path.join(root(), 'anatomical.nii'));
  const savedLabels = async () => {
    const file = savedMapFile(project, 'labels');
    return file ? readLabelVolume(file) : null;
  };
  await expect.poll(async () => (await savedLabels())?.data.some((v) => v === 3) ?? false).toBe(true);
  const saved = (await savedLabels())!;
  const grey = [...saved.data.keys()].filter((n) => saved.data[n] === 3).map((n) => image.data[n]!);
  expect(grey.length).toBeGreaterThan(5);
  expect(Math.min(...grey)).toBeGreaterThanOrEqual(8000);
  // Everything painted lies on the slice on screen.
  const slice = 33 * 41;
  expect([...saved.data.keys()].filter((n) => saved.data[n] === 3).every((n) => Math.floor(n / slice) === 12)).toBe(true);
});

test('fine-tuning on the support slices: live loss, a new model the image then uses', async ({ page }) => {
  mkdirSync(path.join(root(), 'tune'), { recursive: true });
  for (const file of ['anatomical.nii', 'anatomical_labels.nii.gz']) copyFileSync(path.join(root(), file), path.join(root(), 'tune', file));
  await openByPath(page, 'tune/anatomical.nii');
  // A label file's labelled slices become support.
  await page.getByTestId('labels-path').fill('tune/anatomical_labels.nii.gz');
  await page.getByTestId('labels-load').click();
  await expect(page.getByTestId('support-count')).toHaveText('25');
  await expect(page.getByTestId('model-select')).toHaveValue(process.env.UNIVERSEG_MODEL!);
  await page.getByTestId('train-steps').fill('20');
  await page.getByTestId('train-name').fill('tuned');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-job')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('loss-curve')).toHaveAttribute('data-points', '20');
  await expect(page.getByTestId('train-job')).toContainText('saved as tuned; propagation now uses it');
  await expect(page.getByTestId('model-select')).toHaveValue(path.join(root(), 'tune/.universeg/anatomical.nii/models/tuned.safetensors'));
  await page.getByTestId('train-job').scrollIntoViewIfNeeded();
  await shot(page, '35-fine-tuned');
});
