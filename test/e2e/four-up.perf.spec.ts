import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { syntheticHead, writeNifti } from '../helpers/synthetic-head.js';
import { loadLabels, openAppAndWatchConsole, openByPath } from './helpers.js';

/**
 * Scrolling a 512 x 512 x 300 volume with labels in the four-up, one slice per frame from the wheel, as a
 * measurement: the median time between frames (requestAnimationFrame), how many of the slices scrolled through
 * were drawn, and what drawing a slice costs. The numbers are reported, not asserted (they depend on the machine);
 * what is asserted is that the views end on the right slices with the labels drawn.
 */

const SIZE = [512, 512, 300] as const;
const STEPS = 120;

openAppAndWatchConsole();

/** Makes the volume in the served folder (once per run: the folder is a fresh copy). */
function makeVolume(): string {
  const folder = path.join(process.env.UNIVERSEG_ROOT!, 'perf512');
  if (!existsSync(path.join(folder, 'head.nii'))) {
    mkdirSync(folder, { recursive: true });
    const { image, labels } = syntheticHead(SIZE);
    writeNifti(path.join(folder, 'head.nii'), SIZE, image);
    writeNifti(path.join(folder, 'head_labels.nii'), SIZE, labels);
  }
  return 'perf512';
}

interface Scroll {
  /** Milliseconds between consecutive animation frames while scrolling. */
  frames: number[];
  /** Milliseconds each composed render of the scrolled view took, and how many there were. */
  renders: number[];
}

/** Turns the wheel over a view once per animation frame, `steps` times, `direction` -1 toward the next slice. */
function scroll(page: Page, pane: string, steps: number, direction: 1 | -1): Promise<Scroll> {
  return page.evaluate(
    ([pane, steps, direction]) => {
      const viewport = document.querySelector(`[data-testid="pane-${pane}"] [data-testid="viewport"]`)!;
      const box = viewport.getBoundingClientRect();
      const since = performance.now();
      return new Promise<Scroll>((resolve) => {
        const frames: number[] = [];
        let last = since;
        let turned = 0;
        const frame = (now: number) => {
          frames.push(now - last);
          last = now;
          if (turned++ < steps) {
            viewport.dispatchEvent(
              new WheelEvent('wheel', {
                deltaY: 100 * direction,
                clientX: box.x + box.width / 2,
                clientY: box.y + box.height / 2,
                bubbles: true,
                cancelable: true,
              }),
            );
            requestAnimationFrame(frame);
            return;
          }
          // Half a second more, for the last slices to arrive and be drawn.
          setTimeout(() => {
            const renders = performance
              .getEntriesByName('slice-render')
              .filter(
                (e) =>
                  e.startTime >= since &&
                  ((e as PerformanceMeasure).detail as { composed: boolean; view: string }).composed &&
                  ((e as PerformanceMeasure).detail as { view: string }).view === pane,
              )
              .map((e) => e.duration);
            resolve({ frames: frames.slice(1), renders });
          }, 500);
        };
        requestAnimationFrame(frame);
      });
    },
    [pane, steps, direction] as const,
  );
}

/**
 * Waits until the page has fetched nothing for two seconds: after a label file, the support thumbnails, the
 * statistics and the 3D surface load first, and a measurement taken meanwhile would time those.
 */
async function settle(page: Page): Promise<void> {
  const fetched = () => page.evaluate(() => performance.getEntriesByType('resource').length);
  await expect
    .poll(
      async () => {
        const before = await fetched();
        await page.waitForTimeout(2000);
        return (await fetched()) === before;
      },
      { timeout: 240_000, intervals: [0] },
    )
    .toBe(true);
}

const percentile = (values: number[], p: number) =>
  values.length ? [...values].sort((a, b) => a - b)[Math.floor(values.length * p)]! : NaN;
const median = (values: number[]) => percentile(values, 0.5);

test('scrolling a 512x512x300 volume with labels in four views', async ({ page }, testInfo) => {
  test.setTimeout(600_000);
  const folder = makeVolume();
  await page.evaluate(() => performance.setResourceTimingBufferSize(1_000_000));
  await openByPath(page, `${folder}/head.nii`);
  await expect(page.getByTestId('status-bar')).toContainText('512 × 512 × 300');
  await loadLabels(page, `${folder}/head_labels.nii`);
  await expect(page.getByTestId('four-up')).toBeVisible();
  const axial = page.getByTestId('pane-axial').getByTestId('viewport');
  await expect(axial).toHaveAttribute('data-shown', '2/150');
  // The volume arrived whole: the views cut their slices in the page.
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-volume', 'held', { timeout: 120_000 });
  await settle(page);

  const report: string[] = [];
  for (const [pass, direction] of [
    ['forward', -1],
    ['back', 1],
  ] as const) {
    const { frames, renders } = await scroll(page, 'axial', STEPS, direction);
    const line = `${pass}: median frame ${median(frames).toFixed(2)} ms (${(1000 / median(frames)).toFixed(0)} frames/s), p95 ${percentile(frames, 0.95).toFixed(2)} ms over ${frames.length} frames; ${renders.length} of ${STEPS} slices drawn, median draw ${median(renders).toFixed(2)} ms`;
    report.push(line);
    console.log(line);
    // One slice per wheel notch: the axial view ends STEPS slices on, the other views stay where they were.
    await expect(axial).toHaveAttribute('data-shown', `2/${pass === 'forward' ? 150 + STEPS : 150}`, { timeout: 60_000 });
  }
  testInfo.annotations.push({ type: 'four-up scroll 512x512x300', description: report.join('; ') });
  await expect(page.getByTestId('pane-coronal').getByTestId('viewport')).toHaveAttribute('data-shown', '1/256');
  await expect(page.getByTestId('pane-sagittal').getByTestId('viewport')).toHaveAttribute('data-shown', '0/256');
  await expect(page.getByTestId('status-voxel')).toHaveText('Voxel (256, 256, 150)');

  // The labels are drawn in the scrolled view: label 2 at the centre of slice 150.
  const centre = await page
    .getByTestId('pane-axial')
    .getByTestId('slice-canvas')
    .evaluate((canvas: HTMLCanvasElement) => {
      const [r, g, b] = canvas
        .getContext('2d')!
        .getImageData(Math.floor(canvas.width / 2) + 20, Math.floor(canvas.height / 2) + 20, 1, 1).data;
      return { r, g, b };
    });
  expect(centre.g).toBeGreaterThan(centre.r + 40);
  await page.screenshot({ path: testInfo.outputPath('four-up-512.png') });
});
