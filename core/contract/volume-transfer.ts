/**
 * A volume held whole by the viewer (issue #17): the image fetched once in slabs, the label map kept up to date by
 * the slices each revision changed. Pure: zod only.
 */
import { z } from 'zod';
import { AxisSchema, uint8Array } from './schemas.js';

/**
 * How the image's voxels travel: the smallest type holding every value exactly (integer images in 8 or 16 bits,
 * as scanners write them), else float32. The engine holds float32 either way; nothing is windowed or rounded.
 */
export const VoxelTypeSchema = z.enum(['uint8', 'int16', 'uint16', 'float32']);
export type VoxelType = z.infer<typeof VoxelTypeSchema>;

/** The typed array each voxel type travels in, for the engine that packs it and the viewer that holds it. */
export const VOXEL_ARRAYS = { uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array, float32: Float32Array } as const;
export type VoxelArray = Uint8Array | Int16Array | Uint16Array | Float32Array;

const voxelArray = z.custom<VoxelArray>(
  (v) => Object.values(VOXEL_ARRAYS).some((array) => v instanceof array),
  'expected a Uint8Array, Int16Array, Uint16Array or Float32Array',
);

/** Slices from..from + count - 1 along axis 2 (k), i fastest, then j, then k, as the engine holds the volume. */
export const ImageSlabSchema = z
  .object({
    type: VoxelTypeSchema,
    from: z.int().nonnegative(),
    count: z.int().positive(),
    data: voxelArray,
  })
  .refine((s) => s.data.constructor.name.toLowerCase() === `${s.type}array`, 'data is not of the type named');
export type ImageSlab = z.infer<typeof ImageSlabSchema>;

/** A label slice as getLabelSlice cuts it, with where it lies. */
const ChangedSliceSchema = z.object({
  axis: AxisSchema,
  index: z.int().nonnegative(),
  width: z.int().positive(),
  height: z.int().positive(),
  data: uint8Array,
});

/**
 * What brings a copy of the label map up to `revision`: nothing to hold (the item has no map), the whole map, or
 * the slices changed since the copy's revision (a copy without a map starts from zeros: a new map is empty).
 */
export const LabelChangesSchema = z.object({
  revision: z.int().nonnegative(),
  changes: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('none') }),
    z.object({ kind: z.literal('whole'), data: uint8Array }),
    z.object({ kind: z.literal('slices'), slices: z.array(ChangedSliceSchema) }),
  ]),
});
export type LabelChanges = z.infer<typeof LabelChangesSchema>;
