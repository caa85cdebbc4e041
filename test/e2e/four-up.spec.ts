import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { readLabelVolume } from '../../core/data/read-label-volume.js';
import { savedMapFile } from '../helpers/saved-project.js';
import { ImageOnScreen, openAppAndWatchConsole, openByPath, propagateAndWait, rendered } from './helpers.js';

/**
 * The four-up layout: a volume in axial, coronal, sagittal and 3D views with one crosshair, each slice view
 * painted on its own axis with one undo history, a maximise key and a single-view toggle. Screenshots go to each
 * test's output folder.
 */

const root = () => process.env.UNIVERSEG_ROOT!;
// anatomical.nii: 33 x 41 x 25 voxels of 2 mm (i, j, k); the crosshair starts at (16, 20, 12).
const SIZE = [33, 41, 25] as const;
const MM = { axial: [66, 82], coronal: [66, 50], sagittal: [82, 50] } as const;
type Pane = keyof typeof MM;

openAppAndWatchConsole();

const viewport = (page: Page, pane: Pane) => page.getByTestId(`pane-${pane}`).getByTestId('viewport');
const screenOf = (page: Page, pane: Pane) => new ImageOnScreen(page, [...MM[pane]], viewport(page, pane));

async function crosshair(page: Page): Promise<[number, number, number]> {
  const text = (await page.getByTestId('status-voxel').textContent())!;
  return text.match(/\d+/g)!.map(Number) as [number, number, number];
}

async function expectShown(page: Page, [i, j, k]: readonly number[]): Promise<void> {
  await expect(viewport(page, 'axial')).toHaveAttribute('data-shown', `2/${k}`);
  await expect(viewport(page, 'coronal')).toHaveAttribute('data-shown', `1/${j}`);
  await expect(viewport(page, 'sagittal')).toHaveAttribute('data-shown', `0/${i}`);
}

/** Copies anatomical.nii into its own folder, so the test's edits start from no project. */
function freshCopy(folder: string): string {
  mkdirSync(path.join(root(), folder), { recursive: true });
  copyFileSync(path.join(root(), 'anatomical.nii'), path.join(root(), folder, 'anatomical.nii'));
  return `${folder}/anatomical.nii`;
}

/** (i, j, k) of every voxel holding `value` in the project's saved label map, once `ready` holds for them. */
async function savedVoxels(folder: string, value: number, ready: (voxels: number[][]) => boolean): Promise<number[][]> {
  const read = async () => {
    const file = savedMapFile(path.join(root(), folder, '.universeg/anatomical.nii'), 'labels');
    if (!file) return [];
    const map = await readLabelVolume(file);
    const out: number[][] = [];
    map.data.forEach((v, n) => {
      if (v === value) out.push([n % SIZE[0], Math.floor(n / SIZE[0]) % SIZE[1], Math.floor(n / (SIZE[0] * SIZE[1]))]);
    });
    return out;
  };
  await expect.poll(async () => ready(await read()), { timeout: 15_000 }).toBe(true);
  return read();
}

async function editAndWait(page: Page, edit: () => Promise<unknown>): Promise<void> {
  const revision = await page.getByTestId('workflow-panel').getAttribute('data-revision');
  await edit();
  await expect(page.getByTestId('workflow-panel')).not.toHaveAttribute('data-revision', revision!);
}

test('four views with one crosshair; maximise key and single-view toggle; 2D images stay single', async ({ page }, testInfo) => {
  await openByPath(page, 'anatomical.nii');
  await expect(page.getByTestId('four-up')).toBeVisible();
  await expect(page.getByTestId('pane-3d-view').getByTestId('surface-view')).toBeVisible();
  await expectShown(page, [16, 20, 12]);
  // Every slice view drew its slice.
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          new Set(performance.getEntriesByName('slice-render').map((e) => ((e as PerformanceMeasure).detail as { view: string }).view))
            .size,
      ),
    )
    .toBe(3);
  await page.screenshot({ path: testInfo.outputPath('four-up.png') });

  // A click in the axial view moves the crosshair there: the coronal and sagittal views go to its j and i.
  await rendered(page, () => screenOf(page, 'axial').click(0.2, 0.25));
  const [i, j, k] = await crosshair(page);
  expect(k).toBe(12);
  expect(i).not.toBe(16);
  expect(j).not.toBe(20);
  await expectShown(page, [i, j, k]);
  await page.screenshot({ path: testInfo.outputPath('four-up-crosshair.png') });

  // The wheel over the coronal view scrolls coronal slices only (the coronal view is selected now).
  await viewport(page, 'coronal').hover();
  await rendered(page, () => page.mouse.wheel(0, -100));
  const [, j2] = await crosshair(page);
  expect(Math.abs(j2 - j)).toBe(1);
  await expectShown(page, [i, j2, k]);
  await expect(page.getByTestId('pane-coronal')).toHaveClass(/selected/);

  // x maximises the view under the pointer; x again brings the four back.
  await viewport(page, 'sagittal').hover();
  await page.keyboard.press('x');
  await expect(page.getByTestId('four-up')).toHaveCount(0);
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-view', 'sagittal');
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-shown', `0/${i}`);
  await page.screenshot({ path: testInfo.outputPath('maximised-sagittal.png') });
  await page.keyboard.press('x');
  await expect(page.getByTestId('four-up')).toBeVisible();
  await page.getByTestId('pane-3d-view').hover();
  await page.keyboard.press('x');
  await expect(page.getByTestId('four-up')).toHaveCount(0);
  await expect(page.getByTestId('pane-3d-view')).toBeVisible();
  await page.keyboard.press('x');

  // The layout button: the selected view alone, and back; the choice survives a reload.
  await page.getByTestId('layout-toggle').click();
  await expect(page.getByTestId('four-up')).toHaveCount(0);
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-view', 'sagittal');
  await page.reload();
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-shown', `0/${i}`);
  await expect(page.getByTestId('four-up')).toHaveCount(0);
  await page.keyboard.press('v');
  await expect(page.getByTestId('four-up')).toBeVisible();

  // The help lists both keys.
  await page.keyboard.press('?');
  await expect(page.getByTestId('help-dialog')).toContainText('Maximise the view under the pointer');
  await expect(page.getByTestId('help-dialog')).toContainText('Four views (axial, coronal, sagittal, 3D) or one');
  await page.keyboard.press('Escape');

  // A folder of 2D images has one plane: one view, no layout to choose.
  await openByPath(page, 'stack2d');
  await expect(page.getByTestId('four-up')).toHaveCount(0);
  await expect(page.getByTestId('viewport')).toHaveCount(1);
  await expect(page.getByTestId('layout-toggle')).toBeDisabled();
});

test("brush, polygon and fill in each view edit that view's slice; one undo history across views", async ({ page }, testInfo) => {
  test.setTimeout(150_000);
  const folder = 'fourup-paint';
  await openByPath(page, freshCopy(folder));
  await expect(page.getByTestId('four-up')).toBeVisible();
  await page.keyboard.press('b');

  // A brush stroke across the coronal view: voxels of coronal slice j = 20 only, over several i and k.
  await screenOf(page, 'coronal').stroke([0.3, 0.5], [0.7, 0.5]);
  const coronal = await savedVoxels(folder, 1, (v) => v.length > 0);
  expect(coronal.every(([, j]) => j === 20)).toBe(true);
  expect(new Set(coronal.map(([i]) => i)).size).toBeGreaterThan(8);
  expect(new Set(coronal.map(([, , k]) => k)).size).toBeGreaterThan(3);
  // The axial view crosses that slice: the stroke shows there as one row of label.
  await page.screenshot({ path: testInfo.outputPath('painted-coronal.png') });
  // Nothing was marked along the axial axis yet: support and propagation follow the coronal view painted in.
  const axis = page.getByTestId('propagation-axis');
  await expect(axis).toHaveAttribute('data-axis', '1');
  await expect(axis).toContainText('Across coronal slices');
  await page.keyboard.press('m');
  await expect(page.getByTestId('support-count')).toHaveText('1');

  // A polygon in the sagittal view (slice i = 16), filled with Enter.
  await page.getByTestId('label-add').click();
  await expect(page.getByTestId('active-label')).toHaveText('Label 2');
  await page.keyboard.press('g');
  const sagittal = screenOf(page, 'sagittal');
  for (const [fx, fy] of [
    [0.2, 0.2],
    [0.5, 0.2],
    [0.5, 0.4],
    [0.2, 0.4],
  ] as const)
    await sagittal.click(fx, fy);
  await editAndWait(page, () => page.keyboard.press('Enter'));
  const polygon = await savedVoxels(folder, 2, (v) => v.length > 0);
  expect(polygon.every(([i]) => i === 16)).toBe(true);
  expect(polygon.length).toBeGreaterThan(20);
  // With a support slice along the coronal axis, painting in the sagittal view only offers to move there.
  await expect(axis).toHaveAttribute('data-axis', '1');
  await expect(page.getByTestId('propagation-axis-switch')).toHaveText('work across sagittal slices');

  // Fill in the axial view (slice k = 12): the background region around the click becomes label 2 on that slice.
  await page.keyboard.press('f');
  await editAndWait(page, () => screenOf(page, 'axial').click(0.05, 0.05));
  const filled = await savedVoxels(folder, 2, (v) => v.length > polygon.length);
  expect(filled.filter(([i, , k]) => k !== 12 && i !== 16)).toEqual([]);
  expect(filled.filter(([, , k]) => k === 12).length).toBeGreaterThan((SIZE[0] * SIZE[1]) / 2);
  await page.screenshot({ path: testInfo.outputPath('painted-three-views.png') });

  // Undo takes back the last edit whichever view it was made in: the fill, then the polygon; redo brings one back.
  await editAndWait(page, () => page.keyboard.press('Control+z'));
  await savedVoxels(folder, 2, (v) => v.length === polygon.length);
  await editAndWait(page, () => page.keyboard.press('Control+z'));
  await savedVoxels(folder, 2, (v) => v.length === 0);
  await expect((await savedVoxels(folder, 1, (v) => v.length > 0)).length).toBe(coronal.length);
  await editAndWait(page, () => page.keyboard.press('Control+y'));
  await savedVoxels(folder, 2, (v) => v.length === polygon.length);

  // A second coronal support slice of label 1 six slices on, for propagation to fill in between.
  await page.getByTestId('label-1').click();
  await page.keyboard.press('b');
  await viewport(page, 'coronal').hover();
  for (let n = 0; n < 6; n++) await page.mouse.wheel(0, -100);
  await expect.poll(async () => Math.abs((await crosshair(page))[1] - 20)).toBe(6);
  await screenOf(page, 'coronal').stroke([0.35, 0.5], [0.65, 0.5]);
  await page.keyboard.press('m');
  await expect(page.getByTestId('support-count')).toHaveText('2');

  // Propagation runs across coronal slices: the first slice to review is one, shown in the coronal view.
  await propagateAndWait(page);
  await expect(page.getByTestId('review-count')).not.toHaveText('0');
  await page.getByTestId('review-next').click();
  await expect(page.getByTestId('pane-coronal')).toHaveClass(/selected/);
  const reviewed = (await crosshair(page))[1];
  expect(Math.abs(reviewed - 20)).toBeGreaterThan(0);
  await expect(viewport(page, 'coronal')).toHaveAttribute('data-shown', `1/${reviewed}`);
  await expect(page.getByTestId('pane-coronal').getByTestId('slice-status')).toHaveText('Predicted');
  await page.screenshot({ path: testInfo.outputPath('propagated-coronal.png') });

  // After a stroke in the sagittal view, asked to, the workflow moves there: the coronal marks go, the labels stay.
  await screenOf(page, 'sagittal').stroke([0.6, 0.7], [0.8, 0.7]);
  await page.getByTestId('propagation-axis-switch').click();
  await expect(axis).toHaveAttribute('data-axis', '0');
  await expect(page.getByTestId('support-count')).toHaveText('0');
});
