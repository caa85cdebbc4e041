import type { Image } from 'itk-wasm';
import type { LabelVolume, Volume } from './volume.js';

type Geometry = Pick<Volume, 'size' | 'spacing' | 'origin' | 'direction' | 'dimension'>;

/**
 * The grey values and 3D geometry of an itk-wasm image. RGB(A) becomes luminance (Rec. 601 weights, alpha
 * ignored) and grey+alpha keeps the grey; any other multi-component pixel is refused, as is a 4th axis longer
 * than 1. Throws plain Errors: the caller adds the file name.
 */
export function volumeFromItkImage(image: Image, source: string): Volume {
  const geometry = geometryOf(image);
  const { components, pixelType } = image.imageType;
  const raw = image.data;
  if (!raw) throw new Error('image has no pixel data');
  const n = geometry.size[0] * geometry.size[1] * geometry.size[2];
  if (raw.length !== n * components) throw new Error(`pixel buffer holds ${raw.length} values, expected ${n * components}`);
  const value = numberReader(raw);
  const data = new Float32Array(n);
  if (components === 1 && !(raw instanceof BigInt64Array || raw instanceof BigUint64Array)) {
    data.set(raw); // converts natively, several times faster than a loop
  } else if (components === 1) {
    for (let i = 0; i < n; i++) data[i] = value(i);
  } else if (components === 2 && pixelType !== 'Vector' && pixelType !== 'CovariantVector') {
    for (let i = 0; i < n; i++) data[i] = value(2 * i);
  } else if ((components === 3 || components === 4) && (pixelType === 'RGB' || pixelType === 'RGBA')) {
    for (let i = 0, p = 0; i < n; i++, p += components) {
      data[i] = 0.299 * value(p) + 0.587 * value(p + 1) + 0.114 * value(p + 2);
    }
  } else {
    throw new Error(`${pixelType} pixels with ${components} components are not supported; only grey and RGB images are`);
  }
  return { data, ...geometry, source };
}

function numberReader(raw: NonNullable<Image['data']>): (i: number) => number {
  if (raw instanceof BigInt64Array || raw instanceof BigUint64Array) return (i) => Number(raw[i]);
  const numeric = raw as Exclude<typeof raw, BigInt64Array | BigUint64Array>;
  return (i) => numeric[i];
}

/** Pads 2D geometry to 3D (spacing 1, origin 0, identity) and drops a 4th axis of length 1. */
function geometryOf(image: Image): Geometry {
  const d = image.imageType.dimension;
  if (d < 2 || d > 4) throw new Error(`${d}D images are not supported`);
  if (d === 4 && image.size[3] > 1) {
    throw new Error(`4D image (${image.size.join('x')}) is not supported; only 2D and 3D images are`);
  }
  const k = Math.min(d, 3);
  const size: [number, number, number] = [1, 1, 1];
  const spacing: [number, number, number] = [1, 1, 1];
  const origin: [number, number, number] = [0, 0, 0];
  const direction = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  // `+ 0` turns the -0 some writers store into 0, so equal geometries compare equal.
  for (let r = 0; r < k; r++) {
    size[r] = image.size[r];
    spacing[r] = image.spacing[r] + 0;
    origin[r] = image.origin[r] + 0;
    for (let c = 0; c < k; c++) direction[r * 3 + c] = Number(image.direction[r * d + c]) + 0;
  }
  return { size, spacing, origin, direction, dimension: d === 2 || size[2] === 1 ? 2 : 3 };
}

type IntComponent = 'uint8' | 'int16';

/**
 * An itk-wasm image holding a label map. `planar` writes a 2D image (PNG, or a 2D map whose third axis carries
 * no geometry); otherwise 3D, so the position of a single slice inside a scanner's space survives the trip.
 */
export function itkImageFromLabels(labels: LabelVolume, componentType: IntComponent, planar: boolean): Image {
  const d = planar ? 2 : 3;
  if (planar && labels.size[2] !== 1) throw new Error(`a ${labels.size.join('x')} label map has more than one slice`);
  const direction = new Float64Array(d * d);
  for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) direction[r * d + c] = labels.direction[r * 3 + c];
  const data = componentType === 'uint8' ? labels.data : Int16Array.from(labels.data);
  return {
    imageType: { dimension: d, componentType, pixelType: 'Scalar', components: 1 },
    name: 'labels',
    origin: labels.origin.slice(0, d),
    spacing: labels.spacing.slice(0, d),
    direction,
    size: labels.size.slice(0, d),
    metadata: new Map(),
    data,
  };
}

/** True when a one-slice map has no geometry along its third axis, so writing it as 2D loses nothing. */
export function isPlanar(g: Geometry): boolean {
  const d = g.direction;
  return g.size[2] === 1 && g.origin[2] === 0 && g.spacing[2] === 1 && d[2] === 0 && d[5] === 0 && d[6] === 0 && d[7] === 0 && d[8] === 1;
}
