import path from 'node:path';
import { expect, type Page } from '@playwright/test';

/** What the viewer specs share: screenshots, waiting for the canvas to be drawn, reading its pixels. */

export const SCREENS = path.resolve(import.meta.dirname, '../../test-results/screens');

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENS, `${name}.png`) });
}

/** Number of completed canvas renders so far. */
function renderCount(page: Page): Promise<number> {
  return page.evaluate(() => performance.getEntriesByName('slice-render').length);
}

/** Runs `act`, then waits until the canvas has been drawn again (with labels showing, or not, if `labels` is given). */
export async function rendered(page: Page, act: () => Promise<unknown>, labels?: boolean): Promise<void> {
  const before = await renderCount(page);
  await act();
  await page.waitForFunction(
    ([n, withLabels]) =>
      performance
        .getEntriesByName('slice-render')
        .slice(n as number)
        .some((e) => withLabels === null || ((e as PerformanceMeasure).detail as { labels: boolean }).labels === withLabels),
    [before, labels ?? null] as const,
  );
}

/** Pixel statistics of the slice canvas: mean grey, and the fraction of pixels tinted by each label colour and by the uncertainty. */
export function canvasStats(page: Page) {
  return page.getByTestId('slice-canvas').evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let sum = 0;
    let red = 0;
    let green = 0;
    let amber = 0;
    const pixels = data.length / 4;
    for (let p = 0; p < data.length; p += 4) {
      const [r, g, b] = [data[p]!, data[p + 1]!, data[p + 2]!];
      sum += (r + g + b) / 3;
      // Label 1 is red (255, 64, 64), label 2 green; the uncertainty tint is amber (255, 170, 0).
      if (r > g + 40 && r > b + 40 && Math.abs(g - b) < 40) red++;
      if (g > r + 40 && g > b + 20) green++;
      if (r > b + 100 && g > b + 50) amber++;
    }
    return { mean: sum / pixels, red: red / pixels, green: green / pixels, amber: amber / pixels };
  });
}

export async function openByPath(page: Page, studyPath: string): Promise<void> {
  await rendered(page, async () => {
    await page.getByTestId('study-path').fill(studyPath);
    await page.getByTestId('study-open').click();
  });
}

export async function loadLabels(page: Page, labelPath: string): Promise<void> {
  await rendered(page, async () => {
    await page.getByTestId('labels-path').fill(labelPath);
    await page.getByTestId('labels-load').click();
  }, true);
  await expect(page.getByTestId('label-list')).toBeVisible();
}

