import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';

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
  await rendered(
    page,
    async () => {
      await page.getByTestId('labels-path').fill(labelPath);
      await page.getByTestId('labels-load').click();
    },
    true,
  );
  await expect(page.getByTestId('label-list')).toBeVisible();
}

/**
 * Opens the app before each test of the spec and fails a test that logged an error or threw in the page (CSP
 * violations and uncaught exceptions surface this way).
 */
export function openAppAndWatchConsole(): void {
  let consoleErrors: string[] = [];
  test.beforeEach(async ({ page }) => {
    consoleErrors = [];
    page.on('console', (message) => {
      // Chromium logs every non-2xx response; the refusals tests provoke are checked where they happen.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(process.env.UNIVERSEG_URL!);
  });
  test.afterEach(() => expect(consoleErrors).toEqual([]));
}

/** A volume opens in four views; specs that drive one view switch to the single view first. */
export async function singleView(page: Page): Promise<void> {
  await page.getByTestId('layout-toggle').click();
  await expect(page.getByTestId('four-up')).toHaveCount(0);
}

/**
 * The image on screen, `mm` millimetres across and down, as the view fits it at zoom 1: where to click and paint.
 * `viewport`: which view (a pane of the four-up); by default the only one.
 */
export class ImageOnScreen {
  constructor(
    private readonly page: Page,
    private readonly mm: [number, number],
    private readonly viewport: Locator = page.getByTestId('viewport'),
  ) {}

  /** Screen position of a point given as fractions of the image (0..1 across, 0..1 down). */
  async at(fx: number, fy: number): Promise<[number, number]> {
    const box = (await this.viewport.boundingBox())!;
    const fit = Math.min(box.width / this.mm[0], box.height / this.mm[1]);
    const [w, h] = [this.mm[0] * fit, this.mm[1] * fit];
    return [box.x + (box.width - w) / 2 + fx * w, box.y + (box.height - h) / 2 + fy * h];
  }

  async click(fx: number, fy: number): Promise<void> {
    const [x, y] = await this.at(fx, fy);
    await this.page.mouse.click(x, y);
  }

  /**
   * A brush stroke from one point of the image to another, and the engine's acknowledgement of it; the pointer then
   * leaves the image, so that the brush outline is not counted as labels.
   */
  async stroke(from: [number, number], to: [number, number]): Promise<void> {
    const page = this.page;
    const revision = await page.getByTestId('workflow-panel').getAttribute('data-revision');
    const [x0, y0] = await this.at(...from);
    const [x1, y1] = await this.at(...to);
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    await page.mouse.move(x1, y1, { steps: 8 });
    await page.mouse.up();
    await expect(page.getByTestId('workflow-panel')).not.toHaveAttribute('data-revision', revision!);
    await rendered(page, () => page.mouse.move(2, 2));
  }
}

/** Starts a propagation and waits for that job (not an earlier one) to finish. */
export async function propagateAndWait(page: Page): Promise<void> {
  const job = page.getByTestId('propagate-job');
  const before = (await job.count()) ? await job.getAttribute('data-job') : null;
  await page.getByTestId('propagate').click();
  await expect(job).not.toHaveAttribute('data-job', before ?? '');
  await expect(job).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
}
