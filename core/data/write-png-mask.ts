import path from 'node:path';
import { ioError } from '../util/io-error.js';
import { itkImageFromLabels } from './itk-image.js';
import { encodeItkImage } from './itk-io.js';
import { writeFileAtomic, type WriteFileAtomicOptions } from '../util/write-file-atomic.js';

/** Writes a binary mask as an 8-bit grey PNG, 0 for background and 255 for any non-zero value; atomically. */
export async function writePngMask(file: string, mask: Uint8Array, width: number, height: number, options: WriteFileAtomicOptions = {}): Promise<void> {
  const target = path.resolve(file);
  if (mask.length !== width * height) throw ioError(target, `mask holds ${mask.length} values, ${width}x${height} needs ${width * height}`);
  const data = mask.map(v => (v ? 255 : 0));
  const image = itkImageFromLabels(
    { data, size: [width, height, 1], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], dimension: 2, source: target },
    'uint8',
    true,
  );
  await writeFileAtomic(target, await encodeItkImage(image, 'png', 'mask.png', true), options);
}
