/**
 * The values that cross between the engine and a user interface: studies, slices, projects, jobs, statistics.
 * Binary payloads are typed arrays: Electron's structured clone carries them as they are, the HTTP transport frames
 * them (codec.ts). Pure: zod only, no Node, no DOM.
 */
import { z } from 'zod';
import { SegmentTerminologySchema } from './terminology.js';

/** Index axis of an image: 0 = i (columns), 1 = j (rows), 2 = k (slices); the slice at `index` is normal to it. */
export const AxisSchema = z.literal([0, 1, 2]);

const Vec3 = z.tuple([z.number(), z.number(), z.number()]);
const Size3 = z.tuple([z.int().positive(), z.int().positive(), z.int().positive()]);
export const Id = z.string().min(1).max(200);
export const PathParam = z.string().min(1, 'path must not be empty').max(4096);
const float32Array = z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected a Float32Array');
export const uint8Array = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected a Uint8Array');

export const StudyItemSchema = z.object({
  id: Id,
  /** A 3D file, one 2D image, or a DICOM series (a folder's files sharing a SeriesInstanceUID). */
  kind: z.enum(['volume', 'image2d', 'dicom-series']),
  name: z.string(),
  fileCount: z.int().nonnegative(),
  /** Voxels along i, j, k as far as the file headers tell, before decoding. */
  size: Size3.optional(),
  modality: z.string().optional(),
});

export const StudyProblemSchema = z.object({ path: z.string(), message: z.string() });

export const StudySchema = z.object({
  id: Id,
  /** What was opened: a folder or a single file. */
  path: z.string(),
  name: z.string(),
  items: z.array(StudyItemSchema),
  /** Files that could not be read; the study opens with whatever else was found. */
  problems: z.array(StudyProblemSchema),
});

export const RecentStudySchema = z.object({
  path: z.string(),
  name: z.string(),
  itemCount: z.int().nonnegative(),
  /** ISO 8601. */
  openedAt: z.string(),
});

export const DirectoryEntrySchema = z.object({
  name: z.string(),
  path: z.string(),
  kind: z.enum(['dir', 'file']),
  size: z.number().nonnegative(),
});

export const LabelInfoSchema = z.object({
  /** The file the labels came from, or null for a label map created in this session. */
  path: z.string().nullable(),
  /** Every non-zero label present, with its voxel count, ascending by value. */
  labels: z.array(z.object({ value: z.int().min(1).max(255), voxels: z.int().nonnegative() })),
});

export const VolumeInfoSchema = z.object({
  studyId: Id,
  itemId: Id,
  size: Size3,
  spacing: Vec3,
  origin: Vec3,
  /** Row-major 3x3; column c is the physical (LPS) direction of index axis c. */
  direction: z.array(z.number()).length(9),
  dimension: z.literal([2, 3]),
  modality: z.string().optional(),
  /** Intensity statistics the viewer needs for window/level: full range and robust (1st-99th percentile) range. */
  intensity: z.object({ min: z.number(), max: z.number(), p1: z.number(), p99: z.number() }),
  /** The label map attached to this item, if any. */
  labels: LabelInfoSchema.nullable(),
});

export const ItemRef = { studyId: Id, itemId: Id };
export const SliceRef = { ...ItemRef, axis: AxisSchema, index: z.int().nonnegative() };

/**
 * A slice normal to `axis`, row-major: pixel (x, y) is data[y * width + x]. x runs along the lower remaining index
 * axis and y along the higher one (axis 2: x = i, y = j; axis 1: x = i, y = k; axis 0: x = j, y = k).
 */
export const SliceSchema = z.object({
  width: z.int().positive(),
  height: z.int().positive(),
  data: float32Array,
});

export const LabelSliceSchema = z.object({
  width: z.int().positive(),
  height: z.int().positive(),
  data: uint8Array,
});

export const UploadedFileSchema = z.object({
  /** Path relative to the dropped folder (or just the file name); never absolute, never `..`. */
  path: z.string().min(1).max(1024),
  data: uint8Array,
});

export const JobProgressSchema = z.object({
  jobId: Id,
  kind: z.string(),
  state: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  /** 0..1 */
  progress: z.number().min(0).max(1),
  message: z.string().optional(),
  /** The item the job works on, so a UI showing another one can tell. */
  studyId: Id.optional(),
  itemId: Id.optional(),
});

export const ModelInfoSchema = z.object({ name: z.string(), path: z.string() });

const Rgb = z.tuple([z.int().min(0).max(255), z.int().min(0).max(255), z.int().min(0).max(255)]);

/** One label of a project: its voxel value, and how the user named, coloured, shows and protects it. */
export const SegmentDefSchema = z.object({
  value: z.int().min(1).max(255),
  name: z.string().trim().min(1, 'a label needs a name').max(64),
  color: Rgb,
  visible: z.boolean(),
  /** Locked labels are neither painted over nor erased. */
  locked: z.boolean(),
  /** What the label is, coded (DICOM SEG and Slicer's terminology); absent when the user chose none. */
  terminology: SegmentTerminologySchema.optional(),
});

/**
 * What a slice along the project axis holds. support: labelled by the user and used to predict the others;
 * painted: labelled or corrected by the user, not (yet) support; predicted: filled by propagation. A slice in no
 * list holds nothing.
 */
export const SliceStatusSchema = z.enum(['support', 'painted', 'predicted', 'none']);

export const LabelExtentSchema = z
  .object({ value: z.int().min(1).max(255), from: z.int().nonnegative(), to: z.int().nonnegative() })
  .strict()
  .refine((e) => e.from <= e.to, 'from must not be after to');

export const PropagationSettingsSchema = z.object({
  /** Labelled slices per support set, nearest first. */
  supportSize: z.int().min(1).max(64),
  /** Support sets per slice whose probabilities are averaged; their spread is the uncertainty. */
  ensemble: z.int().min(1).max(16),
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  /**
   * Volumes: weight of the network's probability against the shape interpolated between the support slices on
   * either side (1: the network alone, 0: the shape alone). 2D images are segmented by the network alone.
   */
  networkWeight: z.number().min(0).max(1),
  /**
   * Volumes: per label, the slices along the project axis it may be predicted on, as the user widened or narrowed
   * them; the other labels end where their support slices say (see LabelPropagationSchema.extent).
   */
  extents: z
    .array(LabelExtentSchema)
    .max(255)
    .refine((e) => new Set(e.map((x) => x.value)).size === e.length, 'a label has two extents'),
});

/** What the last propagation of a volume decided for one label, and how well it expects to have done. */
export const LabelPropagationSchema = z.object({
  value: z.int().min(1).max(255),
  /** Support slices showing it. */
  examples: z.int().nonnegative(),
  /** First and last slice it may be predicted on, as the user set them or as estimated from its support slices. */
  extent: z.tuple([z.int().nonnegative(), z.int().nonnegative()]),
  extentFrom: z.enum(['estimated', 'user']),
  /**
   * Expected Dice (0..1) on its predicted slices, from how far the network and the interpolated shape agree there;
   * null unless both ran.
   */
  estimatedDice: z.number().min(0).max(1).nullable(),
  /** Dice (0..1) of its interior support slices, each predicted from the others; null with fewer than three. */
  leaveOneOut: z.number().min(0).max(1).nullable(),
});

export const PropagationReportSchema = z.object({
  labels: z.array(LabelPropagationSchema),
  /** The slice whose painting would tell propagation most, and why. */
  suggestedSlice: z.object({ index: z.int().nonnegative(), reason: z.string() }).nullable(),
});

/**
 * The work on one study item, saved in `<study>/.universeg/<item>/` after every edit: the label map, which slices
 * are support, labelled or predicted, the labels' names and colours, and the propagation's uncertainty.
 */
export const ProjectSchema = LabelInfoSchema.extend({
  studyId: Id,
  itemId: Id,
  /** The project folder. */
  folder: z.string(),
  /** Index axis the slices of the workflow (support, propagation, review) are cut across. */
  axis: AxisSchema,
  segments: z.array(SegmentDefSchema),
  support: z.array(z.int().nonnegative()),
  painted: z.array(z.int().nonnegative()),
  predicted: z.array(z.int().nonnegative()),
  /** Predicted slices in review order: most uncertain (largest mean ensemble spread) first. */
  review: z.array(z.object({ index: z.int().nonnegative(), uncertainty: z.number().nonnegative() })),
  /** Per label: on how many support slices it appears. */
  supportCounts: z.array(z.object({ value: z.int().min(1).max(255), slices: z.int().nonnegative() })),
  hasUncertainty: z.boolean(),
  propagation: PropagationSettingsSchema,
  /** What the last propagation decided per label; null before the first (or for a 2D image). */
  propagationReport: PropagationReportSchema.nullable(),
  /** The weights propagation uses. */
  model: ModelInfoSchema,
  /** Bumped by every change, so a viewer knows its cached label slices are stale. */
  revision: z.int().nonnegative(),
  /** ISO 8601 time of the last successful autosave, and why the last one failed (null when it did not). */
  savedAt: z.string().nullable(),
  saveError: z.string().nullable(),
  /** What opening the project found wrong and put right (an interrupted save, the last complete one restored). */
  recovery: z.string().nullable(),
});

/** One 2D image of a study as propagation across images sees it (its project's only slice). */
export const ImageWorkSchema = z.object({
  itemId: Id,
  status: SliceStatusSchema,
  /** Label values on the image. */
  labels: z.array(z.int().min(1).max(255)),
  /** Mean ensemble spread of a predicted image; null otherwise. */
  uncertainty: z.number().nonnegative().nullable(),
  /** The image's project revision, so a thumbnail knows when its labels changed. */
  revision: z.int().nonnegative(),
  /** Why the image could not be read, if it could not. */
  error: z.string().optional(),
});

/** One label's size, intensity and reach, from the label map and the image under it. */
export const LabelStatisticsSchema = z.object({
  value: z.int().min(1).max(255),
  name: z.string(),
  color: Rgb,
  voxels: z.int().nonnegative(),
  /** voxels x the product of the spacing. */
  volumeMm3: z.number().nonnegative(),
  volumeMl: z.number().nonnegative(),
  /** Mean and (population) standard deviation of the image's grey values inside the label. */
  mean: z.number(),
  sd: z.number().nonnegative(),
  /** First and last index along i, j and k holding the label (0-based, inclusive). */
  extent: z.tuple([z.tuple([z.int(), z.int()]), z.tuple([z.int(), z.int()]), z.tuple([z.int(), z.int()])]),
});

const Millimetres = z.number().positive().max(100);

/** A clean-up of one label; margins and radii in millimetres are balls measured with the image's own spacing. */
export const CleanupOpSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('keep-largest') }).strict(),
  z
    .object({
      op: z.literal('remove-small'),
      minVoxels: z
        .int()
        .min(1)
        .max(2 ** 31 - 1),
    })
    .strict(),
  z.object({ op: z.literal('fill-holes') }).strict(),
  z.object({ op: z.literal('closing'), radiusMm: Millimetres }).strict(),
  z.object({ op: z.literal('opening'), radiusMm: Millimetres }).strict(),
  /** Majority over a box of (2 radius + 1) voxels a side. */
  z.object({ op: z.literal('median'), radius: z.int().min(1).max(10) }).strict(),
  z.object({ op: z.literal('grow'), marginMm: Millimetres }).strict(),
  z.object({ op: z.literal('shrink'), marginMm: Millimetres }).strict(),
  /**
   * With another label: add and copy take its voxels (a voxel holds one label); subtract and intersect keep the
   * label's part outside or inside the other's outline (the other with its holes filled).
   */
  z
    .object({ op: z.literal('logical'), operation: z.enum(['add', 'subtract', 'intersect', 'copy']), other: z.int().min(1).max(255) })
    .strict(),
]);

/** Where a clean-up works: the whole label map, or one slice (in 2D). */
export const CleanupScopeSchema = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('volume') }).strict(),
  z.object({ scope: z.literal('slice'), axis: AxisSchema, index: z.int().nonnegative() }).strict(),
]);

/** What a clean-up would change, not yet applied: each changed slice normal to `axis`, as it is and as it would be. */
export const CleanupPreviewSchema = z.object({
  axis: AxisSchema,
  width: z.int().positive(),
  height: z.int().positive(),
  slices: z.array(z.object({ index: z.int().nonnegative(), before: uint8Array, after: uint8Array })),
  changedVoxels: z.int().nonnegative(),
  /** The project revision it was computed on. */
  revision: z.int().nonnegative(),
});

export type Study = z.infer<typeof StudySchema>;
export type StudyItem = z.infer<typeof StudyItemSchema>;
export type RecentStudy = z.infer<typeof RecentStudySchema>;
export type VolumeInfo = z.infer<typeof VolumeInfoSchema>;
export type LabelInfo = z.infer<typeof LabelInfoSchema>;
export type Slice = z.infer<typeof SliceSchema>;
export type LabelSlice = z.infer<typeof LabelSliceSchema>;
export type DirectoryEntry = z.infer<typeof DirectoryEntrySchema>;
export type JobProgress = z.infer<typeof JobProgressSchema>;
export type SegmentDef = z.infer<typeof SegmentDefSchema>;
export type SliceStatus = z.infer<typeof SliceStatusSchema>;
export type Project = z.infer<typeof ProjectSchema>;
export type PropagationSettings = z.infer<typeof PropagationSettingsSchema>;
export type PropagationReport = z.infer<typeof PropagationReportSchema>;
export type ModelInfo = z.infer<typeof ModelInfoSchema>;
export type ImageWork = z.infer<typeof ImageWorkSchema>;
export type LabelStatistics = z.infer<typeof LabelStatisticsSchema>;
export type CleanupOp = z.infer<typeof CleanupOpSchema>;
export type CleanupScope = z.infer<typeof CleanupScopeSchema>;
export type CleanupPreview = z.infer<typeof CleanupPreviewSchema>;
