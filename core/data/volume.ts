/** An image in memory, in ITK's index order: voxel (i, j, k) is at data[(k * size[1] + j) * size[0] + i]. */
export interface Volume {
  /** Grey values (RGB is converted to grey on read); one scalar per voxel. */
  data: Float32Array;
  /** Voxels along the index axes i, j, k; a 2D image has size[2] = 1. */
  size: [number, number, number];
  /** Millimetres between voxel centres along i, j, k. */
  spacing: [number, number, number];
  /** Physical position of voxel (0, 0, 0). */
  origin: [number, number, number];
  /** Direction cosines, row-major 3x3 as ITK stores them: column c is the physical direction of index axis c. */
  direction: number[];
  /** 2 for a single 2D image, 3 for a volume. */
  dimension: 2 | 3;
  /** Where it came from: a file, or the folder of a DICOM series. */
  source: string;
  /** 'CT', 'MR', ... when the file says so (DICOM), else undefined. */
  modality?: string;
}

/** A label map on the grid of a Volume: 0 is background, 1..255 are labels. */
export interface LabelVolume {
  data: Uint8Array;
  size: [number, number, number];
  spacing: [number, number, number];
  origin: [number, number, number];
  direction: number[];
  dimension: 2 | 3;
  source: string;
}

export type Axis = 0 | 1 | 2;
