import { writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { screenPixels } from './surface-pixels.js';

/** Waits until the 3D view shows `labels` surfaces. */
export async function surfacesReady(page: Page, labels: number, timeout = 30_000): Promise<void> {
  const view = page.getByTestId('surface-view');
  await expect(view).toHaveAttribute('data-state', 'ready', { timeout });
  await expect(page.getByTestId('surface-status')).toContainText(`${labels} label${labels === 1 ? '' : 's'}`);
}

/**
 * The 3D view's picture, kept under test-results/ as an artifact whether the test passes or fails. It draws in a
 * worker: the picture is taken once the worker has drawn every change asked of it.
 */
export async function keep(page: Page, name: string): Promise<Awaited<ReturnType<typeof screenPixels>>> {
  await expect(page.getByTestId('surface-view')).toHaveAttribute('data-drawing', 'false');
  const shot = await screenPixels(page, page.getByTestId('surface-canvas'));
  const file = test.info().outputPath(`${name}.png`);
  writeFileSync(file, shot.png);
  await test.info().attach(name, { path: file, contentType: 'image/png' });
  return shot;
}
