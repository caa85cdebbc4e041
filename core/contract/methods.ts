/**
 * THE contract between the engine and any user interface: every operation the UI can ask for, with the shape of
 * its parameters and its result. Electron IPC, the HTTP host (`universeg serve`) and the tests all go through
 * `apiContract`, so parameters are validated once, here, whatever the transport.
 *
 * Binary payloads (slices, label slices, uploaded files) are typed arrays: Electron's structured clone carries
 * them as they are, the HTTP transport frames them (codec.ts). Nothing here touches Node or the DOM.
 */
import { z } from 'zod';
import { BatchReportSchema, BatchVolumeSchema, RegistrationSettingsSchema } from './batch.js';
import {
  AxisSchema,
  CleanupOpSchema,
  CleanupPreviewSchema,
  CleanupScopeSchema,
  DirectoryEntrySchema,
  Id,
  ImageWorkSchema,
  ItemRef,
  JobProgressSchema,
  LabelInfoSchema,
  LabelSliceSchema,
  LabelStatisticsSchema,
  ModelInfoSchema,
  PathParam,
  ProjectSchema,
  PropagationSettingsSchema,
  RecentStudySchema,
  SegmentDefSchema,
  SliceRef,
  SliceSchema,
  SliceStatusSchema,
  StudySchema,
  UploadedFileSchema,
  VolumeInfoSchema,
  uint8Array,
} from './schemas.js';
import { ImageSlabSchema, LabelChangesSchema } from './volume-transfer.js';

/** Bumped when a method changes incompatibly, so a browser tab open against an older server can say so. */
export const API_VERSION = 1;

function method<P extends z.ZodType, R extends z.ZodType>(params: P, result: R, doc: string) {
  return { params, result, doc };
}

export const apiContract = {
  health: method(
    z.object({}).strict(),
    z.object({ ok: z.literal(true), version: z.string(), apiVersion: z.int(), root: z.string().nullable() }),
    'Is the engine there, which version, and which folder it may read (null: anywhere the user can).',
  ),
  listDirectory: method(
    z.object({ path: PathParam.optional() }).strict(),
    z.object({ path: z.string(), parent: z.string().nullable(), entries: z.array(DirectoryEntrySchema) }),
    'Folders and files of a directory (default: the root), folders first, for browsing to a study.',
  ),
  openStudy: method(
    z.object({ path: PathParam }).strict(),
    StudySchema,
    'Open a study folder (DICOM series, volumes, 2D images) or a single image file; remembers it as recent.',
  ),
  uploadStudy: method(
    z.object({ name: z.string().min(1).max(255), files: z.array(UploadedFileSchema).min(1) }).strict(),
    StudySchema,
    'Open files dropped into a browser, which has no paths: they are copied to a private temporary folder.',
  ),
  recentStudies: method(z.object({}).strict(), z.array(RecentStudySchema), 'Studies opened lately, newest first.'),
  getVolumeInfo: method(z.object(ItemRef).strict(), VolumeInfoSchema, 'Geometry and intensity range of an item.'),
  getSlice: method(z.object(SliceRef).strict(), SliceSchema, 'One slice of an item as float32 grey values.'),
  loadLabels: method(
    z.object({ ...ItemRef, path: PathParam }).strict(),
    LabelInfoSchema,
    'Attach a label map file to an item; it must lie on the same voxel grid.',
  ),
  getLabelSlice: method(
    z.object(SliceRef).strict(),
    LabelSliceSchema.nullable(),
    "One slice of the item's label map (uint8), or null when the item has none.",
  ),
  getLabelVolume: method(
    z.object(ItemRef).strict(),
    z.object({ revision: z.int().nonnegative(), data: uint8Array }).nullable(),
    "The item's whole label map (uint8, i fastest, then j, then k), with the project revision it is at, or null when the item has none: the 3D view builds its surfaces from it.",
  ),
  getImageSlab: method(
    z.object({ ...ItemRef, from: z.int().nonnegative() }).strict(),
    ImageSlabSchema,
    'Slices of the image along axis 2 from `from` on, as many as make about 8 MiB, in the smallest type that holds its values exactly: the viewer fetches a volume once this way and cuts its slices itself.',
  ),
  getLabelChanges: method(
    z.object({ ...ItemRef, since: z.int().nonnegative().optional() }).strict(),
    LabelChangesSchema,
    "What brings the viewer's copy of the label map, made at project revision `since`, up to the project's revision: the slices changed since, or the whole map (always without `since`).",
  ),
  setLabelSlice: method(
    z
      .object({
        ...SliceRef,
        slice: LabelSliceSchema,
        /** What the slice becomes (undo restores it); default: painted, or support when it already was. */
        status: SliceStatusSchema.optional(),
      })
      .strict(),
    ProjectSchema,
    "Replace one slice of the item's label map (an edit, saved to the project); an item without one gets an empty map first.",
  ),
  getProject: method(
    z.object(ItemRef).strict(),
    ProjectSchema,
    'The work on an item (labels, support slices, predictions), restored from its project folder when there is one.',
  ),
  setSliceStatus: method(
    z.object({ ...ItemRef, index: z.int().nonnegative(), status: SliceStatusSchema }).strict(),
    ProjectSchema,
    'Mark a slice along the project axis as support (accepting a prediction), or unmark it.',
  ),
  setProjectAxis: method(
    z.object({ ...ItemRef, axis: AxisSchema }).strict(),
    ProjectSchema,
    "Cut the workflow's slices across another index axis (the view the user paints in): slices holding labels there become painted; support marks, predictions and their uncertainty along the old axis are dropped, the labels kept.",
  ),
  setSegments: method(
    z
      .object({ ...ItemRef, segments: z.array(SegmentDefSchema).min(1).max(255) })
      .strict()
      .refine((p) => new Set(p.segments.map((s) => s.value)).size === p.segments.length, 'two labels share one value'),
    ProjectSchema,
    'Names, colours, visibility and locks of the labels; a label that still has voxels cannot be left out.',
  ),
  getUncertaintySlice: method(
    z.object(SliceRef).strict(),
    SliceSchema.nullable(),
    "One slice of the last propagation's ensemble spread (0..0.5), or null when there is none.",
  ),
  propagate: method(
    z
      .object({
        ...ItemRef,
        ...PropagationSettingsSchema.partial().shape,
        /** Label values to predict; default all that appear on support slices. */
        labels: z.array(z.int().min(1).max(255)).min(1).optional(),
        /** Slices to predict, first to last along the project axis (inclusive); default all. */
        slices: z
          .object({ from: z.int().nonnegative(), to: z.int().nonnegative() })
          .strict()
          .refine((r) => r.from <= r.to, 'from must not be after to')
          .optional(),
      })
      .strict(),
    JobProgressSchema,
    'Predict every slice (of a range) that is neither support nor painted from the support slices, as a job; slices arrive as project events.',
  ),
  studyImages: method(
    z.object({ studyId: Id }).strict(),
    z.array(ImageWorkSchema),
    'The work on each 2D image of a study (a folder of images): support, painted, predicted or none, its labels, its uncertainty.',
  ),
  propagateImages: method(
    z
      .object({
        studyId: Id,
        ...PropagationSettingsSchema.partial().shape,
        /** Label values to predict; default all that appear on support images. */
        labels: z.array(z.int().min(1).max(255)).min(1).optional(),
      })
      .strict(),
    JobProgressSchema,
    'Predict every 2D image of the study that is neither support nor painted from the support images, as a job; images arrive as project events.',
  ),
  exportImageMasks: method(
    z.object({ studyId: Id, path: PathParam }).strict(),
    z.object({ path: z.string(), written: z.array(z.string()) }),
    'Write a PNG mask for every labelled 2D image of the study into a folder (made if missing), named as `universeg segment` names them.',
  ),
  labelStatistics: method(
    z.object(ItemRef).strict(),
    z.object({ revision: z.int().nonnegative(), labels: z.array(LabelStatisticsSchema) }),
    "Per label of the item's label map: voxels, volume (mm³, mL), mean and SD of the image inside, index extent.",
  ),
  previewCleanup: method(
    z
      .object({ ...ItemRef, label: z.int().min(1).max(255), op: CleanupOpSchema, scope: CleanupScopeSchema })
      .strict()
      .refine((p) => p.op.op !== 'logical' || p.op.other !== p.label, 'a logical operation needs two different labels'),
    CleanupPreviewSchema,
    'What a clean-up of one label (on the label map, or one slice) would change, without changing it: the client applies it as an edit (setLabelSlice), so it undoes like one.',
  ),
  segmentRest: method(
    z
      .object({
        studyId: Id,
        /** Overrides of the engine's registration settings (coarser for a quick trial). */
        registration: RegistrationSettingsSchema.partial().strict().optional(),
        /** The network's weight against the registered support for every label; default: chosen per label by leave-one-out. */
        networkWeight: z.number().min(0).max(1).optional(),
      })
      .strict(),
    z.object({ job: JobProgressSchema, volumes: z.array(BatchVolumeSchema) }),
    'Segment every volume of the study without labels from those with labels (registered onto each, with the network), as a job, into `<study>-segmentations/`; a volume already done from the same support, settings and model is skipped. Volumes report their state as batch events.',
  ),
  batchReport: method(
    z.object({ studyId: Id }).strict(),
    BatchReportSchema.nullable(),
    "The report of the study's last batch segmentation (per volume and label: mL, slices, uncertainty, estimated Dice, time, what was skipped and why), or null before the first.",
  ),
  listJobs: method(z.object({}).strict(), z.array(JobProgressSchema), 'Jobs of this session, newest first.'),
  cancelJob: method(z.object({ jobId: Id }).strict(), JobProgressSchema, 'Stop a queued or running job.'),
  exportLabels: method(
    z.object({ ...ItemRef, path: PathParam }).strict(),
    z.object({ path: z.string(), format: z.enum(['nifti', 'nrrd', 'seg-nrrd', 'mha', 'dicom-seg', 'png']) }),
    'Write the label map in the source geometry: .nii.gz, .nii, .seg.nrrd (names, colours), .nrrd, .mha; .dcm (DICOM SEG of a DICOM series); .png (a 2D image). Never over an input.',
  ),
  exportSurface: method(
    z.object({ ...ItemRef, label: z.int().min(1).max(255), path: PathParam, smoothing: z.number().min(0).max(1).optional() }).strict(),
    z.object({ path: z.string(), format: z.enum(['stl', 'obj', 'vtk']), points: z.int().nonnegative(), triangles: z.int().nonnegative() }),
    "Write one label's surface, as the 3D view builds it, in the image's physical space (LPS millimetres): .stl, .obj or .vtk by extension. Never over an input.",
  ),
  listModels: method(
    z.object(ItemRef).strict(),
    z.array(ModelInfoSchema),
    "Weights the item can propagate with: the engine's default and those fine-tuned on this item.",
  ),
  setModel: method(
    z.object({ ...ItemRef, path: PathParam }).strict(),
    ProjectSchema,
    'Propagate this item with other weights (one of listModels).',
  ),
  train: method(
    z
      .object({
        ...ItemRef,
        steps: z.int().min(1).max(100_000),
        /** The new model's name: letters, digits, dot, dash, underscore. */
        // A name made only of dots would name the training folder itself or its parent.
        name: z.string().regex(/^(?!\.+$)[\w.-]{1,64}$/, 'use 1 to 64 letters, digits, ".", "-" or "_", not only dots'),
      })
      .strict(),
    JobProgressSchema,
    "Fine-tune the item's model on its support slices, as a job with a live loss; the result is saved as a new model the item then uses.",
  ),
} as const;

export type ApiContract = typeof apiContract;
export type ApiMethod = keyof ApiContract;
export type ApiParams<M extends ApiMethod> = z.input<ApiContract[M]['params']>;
export type ApiResult<M extends ApiMethod> = z.output<ApiContract[M]['result']>;

/** The engine side: one async function per method. */
export type ApiHandlers = { [M in ApiMethod]: (params: z.output<ApiContract[M]['params']>) => Promise<ApiResult<M>> };

/** The UI side: the same methods, called with what the UI has. */
export type ApiClient = { [M in ApiMethod]: (params: ApiParams<M>) => Promise<ApiResult<M>> };

export const apiMethods = Object.keys(apiContract) as ApiMethod[];

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.hasOwn(apiContract, name);
}

/** A method's result as a caller may trust it: checked against the contract, since what a transport delivers is bytes. */
export function parseResult<M extends ApiMethod>(method: M, value: unknown): ApiResult<M> {
  return resultSchemas[method].result.parse(value);
}

/** The contract seen per method, so that indexing it with a method M gives M's own result type. */
const resultSchemas: { [M in ApiMethod]: { result: z.ZodType<ApiResult<M>> } } = apiContract;
