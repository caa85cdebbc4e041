import path from 'node:path';
import { labelColor } from '../contract/label-palette.js';
import { ioError } from '../util/io-error.js';
import { writeFileAtomic, type WriteFileAtomicOptions } from '../util/write-file-atomic.js';
import { encodeIndexedPng } from './encode-indexed-png.js';
import { itkImageFromLabels } from './itk-image.js';
import { encodeItkImage } from './itk-io.js';

export interface WritePngMaskOptions extends WriteFileAtomicOptions {
  /**
   * The label set these images share, with colours where it has them (others get label-palette.ts defaults). With
   * several values every image of the set is an indexed PNG whose palette covers them all, even one that holds a
   * single value or none, so that no image of it has its value turned into 255.
   */
  labels?: readonly { value: number; color?: readonly [number, number, number] }[];
}

/**
 * Writes a 2D label map as a PNG, atomically. From a single-label set it is a mask, as 2D tools expect: 8-bit
 * grey, 0 for background and 255 for the label. From several labels (in `labels` or in the map itself), an indexed
 * PNG whose pixel values are the label values and whose palette holds their colours (index 0 black).
 */
export async function writePngMask(
  file: string,
  mask: Uint8Array,
  width: number,
  height: number,
  options: WritePngMaskOptions = {},
): Promise<void> {
  const target = path.resolve(file);
  if (mask.length !== width * height) throw ioError(target, `mask holds ${mask.length} values, ${width}x${height} needs ${width * height}`);
  const labels = options.labels ?? [];
  const values = new Set(mask);
  for (const { value } of labels) values.add(value);
  values.delete(0);
  const bytes =
    values.size > 1
      ? encodeIndexedPng(mask, width, height, palette(Math.max(...values), labels))
      : await greyMask(mask, width, height, target);
  await writeFileAtomic(target, bytes, options);
}

async function greyMask(mask: Uint8Array, width: number, height: number, target: string): Promise<Uint8Array> {
  const data = mask.map((v) => (v ? 255 : 0));
  const image = itkImageFromLabels(
    {
      data,
      size: [width, height, 1],
      spacing: [1, 1, 1],
      origin: [0, 0, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      dimension: 2,
      source: target,
    },
    'uint8',
    true,
  );
  return encodeItkImage(image, 'png', 'mask.png', true);
}

/** Colours for indices 0..max: black background, each value its given or default colour. */
function palette(max: number, labels: NonNullable<WritePngMaskOptions['labels']>): [number, number, number][] {
  const given = new Map(labels.flatMap(({ value, color }) => (color ? [[value, color] as const] : [])));
  return Array.from({ length: max + 1 }, (_, v) =>
    v === 0 ? [0, 0, 0] : ([...(given.get(v) ?? labelColor(v))] as [number, number, number]),
  );
}
