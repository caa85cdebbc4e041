import type { Locator, Page } from '@playwright/test';

/** Pixels of an element as the screen shows them (a screenshot, so whatever WebGL drew is included). */
export interface ScreenPixels {
  width: number;
  height: number;
  rgba: number[];
}

export async function screenPixels(page: Page, element: Locator): Promise<{ png: Buffer; pixels: ScreenPixels }> {
  const png = await element.screenshot();
  // Decoded by the page's own image decoder: the CSP allows data: images.
  const pixels = await page.evaluate(
    async (url) => {
      const image = new Image();
      image.src = url;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      return { width: image.width, height: image.height, rgba: Array.from(context.getImageData(0, 0, image.width, image.height).data) };
    },
    `data:image/png;base64,${png.toString('base64')}`,
  );
  return { png, pixels };
}

/**
 * How many pixels show a surface of colour `rgb`: lit surfaces are the colour scaled by the shading (plus a little
 * specular white), so a pixel counts when it is close to some shade s x rgb with s in 0.25..1.2.
 */
export function pixelsOfColour({ rgba }: ScreenPixels, rgb: readonly number[]): number {
  const norm = rgb.reduce((n, c) => n + c * c, 0);
  let count = 0;
  for (let p = 0; p < rgba.length; p += 4) {
    const px = [rgba[p]!, rgba[p + 1]!, rgba[p + 2]!];
    const s = px.reduce((n, c, i) => n + c * rgb[i]!, 0) / norm;
    if (s < 0.25 || s > 1.2) continue;
    const residual = Math.hypot(...px.map((c, i) => c - s * rgb[i]!));
    if (residual < 24) count++;
  }
  return count;
}

/** Pixels that differ from the top-left corner's (the background). */
export function nonBackground({ rgba }: ScreenPixels): number {
  let count = 0;
  for (let p = 0; p < rgba.length; p += 4)
    if (Math.abs(rgba[p]! - rgba[0]!) + Math.abs(rgba[p + 1]! - rgba[1]!) + Math.abs(rgba[p + 2]! - rgba[2]!) > 30) count++;
  return count;
}
