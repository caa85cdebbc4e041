import path from 'node:path';
import type { Image } from 'itk-wasm';
import { ioError } from '../util/io-error.js';
import { encodeItkImage } from '../data/itk-io.js';
import type { Volume } from '../data/volume.js';
import { writeFileAtomic } from '../util/write-file-atomic.js';

/**
 * Writes a float32 volume (an uncertainty or probability map) in its own geometry as .nii.gz/.nii, atomically,
 * never over `protect`ed inputs.
 */
export async function writeFloatVolume(file: string, volume: Volume, protect: readonly string[] = []): Promise<void> {
  const target = path.resolve(file);
  const lower = target.toLowerCase();
  if (!lower.endsWith('.nii.gz') && !lower.endsWith('.nii')) throw ioError(target, 'a float volume is written as .nii.gz or .nii');
  const image: Image = {
    imageType: { dimension: 3, componentType: 'float32', pixelType: 'Scalar', components: 1 },
    name: 'volume',
    origin: [...volume.origin],
    spacing: [...volume.spacing],
    direction: Float64Array.from(volume.direction),
    size: [...volume.size],
    metadata: new Map(),
    data: volume.data,
  };
  const bytes = await encodeItkImage(image, 'nifti', path.basename(target), lower.endsWith('.gz'));
  await writeFileAtomic(target, bytes, { protect: [volume.source, ...protect].filter(Boolean) });
}
