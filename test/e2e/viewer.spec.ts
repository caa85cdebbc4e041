import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { canvasStats, loadLabels, openAppAndWatchConsole, openByPath, rendered, shot, singleView } from './helpers.js';

/**
 * The viewer as a user drives it, against `universeg serve` over a copy of test/fixtures/viewer. Each step leaves a
 * screenshot in test-results/screens/ (look at them: a test that passes can still draw a sideways brain).
 */

openAppAndWatchConsole();
test.beforeEach(({ page }) => expect(page.getByText('No study open')).toBeVisible());

test('a NIfTI volume: open, scroll, change view, window/level, zoom, labels', async ({ page }) => {
  // The token leaves the address bar once read.
  expect(page.url()).not.toContain('token=');

  await openByPath(page, 'anatomical.nii');
  await singleView(page);
  const sliceLabel = page.getByTestId('slice-label');
  await expect(sliceLabel).toHaveText('Slice 13 / 25');
  await expect(page.getByTestId('status-voxel')).toHaveText('Voxel (16, 20, 12)');
  await expect(page.locator('.edge-left')).toHaveText('R');
  await expect(page.locator('.edge-top')).toHaveText('A');
  expect((await canvasStats(page)).mean).toBeGreaterThan(10);
  await shot(page, '01-nifti-axial');

  // Scroll: wheel up and the arrow key both move toward superior, i.e. up the k index of this LPS image.
  const viewport = page.getByTestId('viewport');
  await viewport.hover();
  await rendered(page, () => page.mouse.wheel(0, -100));
  await expect(sliceLabel).toHaveText('Slice 14 / 25');
  await rendered(page, () => page.keyboard.press('ArrowUp'));
  await rendered(page, () => page.keyboard.press('ArrowUp'));
  await expect(sliceLabel).toHaveText('Slice 16 / 25');
  await rendered(page, () => page.getByTestId('slice-slider').fill('5'));
  await expect(sliceLabel).toHaveText('Slice 6 / 25');
  await shot(page, '02-nifti-scrolled');

  // Coronal and sagittal: slices along j and i, superior at the top.
  await rendered(page, () => page.getByTestId('view-coronal').click());
  await expect(sliceLabel).toHaveText('Slice 21 / 41');
  await expect(page.locator('.edge-top')).toHaveText('S');
  await expect(page.locator('.edge-left')).toHaveText('R');
  await shot(page, '03-nifti-coronal');
  await rendered(page, () => page.keyboard.press('3'));
  await expect(sliceLabel).toHaveText('Slice 17 / 33');
  await expect(page.locator('.edge-left')).toHaveText('A');
  await shot(page, '04-nifti-sagittal');
  await rendered(page, () => page.keyboard.press('1'));

  // Window/level: right-drag to the right widens the window, downward raises the level.
  const windowLabel = page.getByTestId('window-label');
  const before = await windowLabel.textContent();
  const box = (await viewport.boundingBox())!;
  const meanBefore = (await canvasStats(page)).mean;
  await rendered(page, async () => {
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down({ button: 'right' });
    await page.mouse.move(box.x + box.width / 2 - 60, box.y + box.height / 2 + 120, { steps: 4 });
    await page.mouse.up({ button: 'right' });
  });
  await expect(windowLabel).not.toHaveText(before!);
  expect((await canvasStats(page)).mean).toBeLessThan(meanBefore);
  await shot(page, '05-nifti-window-level');
  await rendered(page, () => page.getByTestId('window-preset').selectOption({ label: 'Full range' }));
  await expect(windowLabel).toContainText('W 31000 ');

  // Zoom: keyboard and ctrl+wheel.
  await rendered(page, () => page.keyboard.press('+'));
  await expect(page.locator('.corner-bl')).toHaveText('125%');
  await viewport.hover();
  await page.keyboard.down('Control');
  await rendered(page, () => page.mouse.wheel(0, -150));
  await page.keyboard.up('Control');
  await expect(page.locator('.corner-bl')).not.toHaveText('125%');
  await shot(page, '06-nifti-zoomed');
  await rendered(page, () => page.keyboard.press('r'));
  await expect(page.locator('.corner-bl')).toHaveText('100%');

  // Labels: filled, then outlines, then hidden.
  await loadLabels(page, 'anatomical_labels.nii.gz');
  await expect(page.getByTestId('label-list').locator('li')).toHaveCount(2);
  const filled = await canvasStats(page);
  expect(filled.red).toBeGreaterThan(0.01);
  await shot(page, '07-nifti-labels');
  await rendered(page, () => page.keyboard.press('o'));
  const outlined = await canvasStats(page);
  expect(outlined.red).toBeGreaterThan(0);
  expect(outlined.red).toBeLessThan(filled.red);
  await shot(page, '08-nifti-label-outlines');
  await rendered(page, () => page.keyboard.press('l'), false);
  expect((await canvasStats(page)).red).toBe(0);

  // Exported in Slicer's format, next to the image.
  await page.getByTestId('export-path').fill('saved_labels.seg.nrrd');
  await page.getByTestId('export').click();
  await expect(page.getByTestId('notice')).toContainText('Exported to');
  expect(existsSync(path.join(process.env.UNIVERSEG_ROOT!, 'saved_labels.seg.nrrd'))).toBe(true);
});

test('a DICOM series opened from the folder browser', async ({ page }) => {
  await page.getByTestId('study-browse').click();
  const list = page.getByTestId('dir-list');
  await expect(list).toContainText('dicom_mr');
  await list.getByText('dicom_mr').click();
  await rendered(page, () => page.getByTestId('open-selected').click());
  await expect(page.getByTestId('item-list')).toContainText('FSE PD AXIAL OBL');
  await singleView(page);
  await expect(page.getByTestId('slice-label')).toHaveText('Slice 3 / 5');
  await expect(page.getByTestId('status-bar')).toContainText('MR');
  expect((await canvasStats(page)).mean).toBeGreaterThan(10);
  await shot(page, '09-dicom-series');
  await rendered(page, () => page.keyboard.press('2'));
  await shot(page, '10-dicom-coronal');
});

test('a folder of 2D images is browsed like a stack', async ({ page }) => {
  await openByPath(page, 'stack2d');
  const label = page.getByTestId('slice-label');
  await expect(label).toHaveText('Image 1 / 3');
  await expect(page.getByTestId('view-coronal')).toBeDisabled();
  await shot(page, '11-stack-first');
  await rendered(page, () => page.keyboard.press('ArrowUp'));
  await expect(label).toHaveText('Image 2 / 3');
  await shot(page, '12-stack-second');
});

test('a file dropped on the window is uploaded and opened', async ({ page }) => {
  const bytes = [...readFileSync(path.join(process.env.UNIVERSEG_ROOT!, 'anatomical.nii'))];
  await rendered(page, () =>
    page.evaluate((data) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], 'dropped.nii'));
      document.querySelector('.app')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, bytes),
  );
  await expect(page.getByTestId('item-list')).toContainText('dropped.nii');
  await expect(page.getByTestId('pane-axial').getByTestId('slice-label')).toHaveText('Slice 13 / 25');
});

test('paths outside the served folder are refused with a message', async ({ page }) => {
  await page.getByTestId('study-path').fill('../../unit');
  await page.getByTestId('study-open').click();
  await expect(page.getByTestId('notice')).toContainText('outside the served folder');
  await expect(page.getByText('No study open')).toBeVisible();
});

test('? shows the keyboard map', async ({ page }) => {
  await page.keyboard.press('?');
  await expect(page.getByTestId('help-dialog')).toBeVisible();
  await expect(page.getByTestId('help-dialog')).toContainText('Window/level tool');
  await shot(page, '13-help');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('help-dialog')).toBeHidden();
});

test('rendering a 512x512 CT slice with labels takes under 16 ms', async ({ page }) => {
  await openByPath(page, 'ankle_ct.dcm');
  await expect(page.getByTestId('status-bar')).toContainText('512 × 512 × 1');
  await loadLabels(page, 'ankle_ct_labels.nii.gz');
  await shot(page, '14-ct-labels');
  // Each window/level step recomposes the whole slice: grey mapping, label blending, drawing.
  await page.evaluate(() => performance.clearMeasures('slice-render'));
  for (let n = 0; n < 40; n++) {
    await rendered(page, () => page.keyboard.press(n % 2 === 0 ? '}' : '{'));
  }
  const times = await page.evaluate(() =>
    performance
      .getEntriesByName('slice-render')
      .filter((e) => {
        const d = (e as PerformanceMeasure).detail as { composed: boolean; width: number; height: number; labels: boolean };
        return d.composed && d.width === 512 && d.height === 512 && d.labels;
      })
      .map((e) => e.duration)
      .sort((a, b) => a - b),
  );
  expect(times.length).toBeGreaterThanOrEqual(30);
  const median = times[Math.floor(times.length / 2)]!;
  const p95 = times[Math.floor(times.length * 0.95)]!;
  console.log(
    `render 512x512 + labels: median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms over ${times.length} renders`,
  );
  test.info().annotations.push({ type: 'render-ms', description: `median ${median.toFixed(2)}, p95 ${p95.toFixed(2)}` });
  expect(median).toBeLessThan(16);
  await shot(page, '15-ct-after-opacity-steps');
});
