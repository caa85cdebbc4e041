import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEventBus } from '../../../core/engine/event-bus.js';
import type { Engine } from '../../../core/engine/engine-parts.js';
import { createEngine } from '../../../core/engine/handlers.js';
import type { PathPolicy } from '../../../core/engine/paths.js';
import { recentStudiesFile } from '../../../core/engine/recent.js';
import { createUploadArea } from '../../../core/engine/upload.js';

export const TEST_MODEL = path.resolve(import.meta.dirname, '../../fixtures/workflow/tiny-model.safetensors');

/** A fresh temporary folder (real path: macOS's /tmp is a link), removed with `cleanup`. */
export function tempFolder(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** The text of a 2x2x1 unsigned-byte MetaImage header naming `dataFile` for its voxels. */
export function mhdHeader(dataFile: string): string {
  return ['ObjectType = Image', 'NDims = 3', 'DimSize = 2 2 1', 'ElementType = MET_UCHAR', `ElementDataFile = ${dataFile}`, ''].join('\n');
}

/** An engine as the hosts make one, over `paths`, with its recent list in `recentFile`. */
export function engineWith(paths: PathPolicy, recentFile: string, uploadParent?: string): Engine {
  return createEngine({
    paths,
    recent: recentStudiesFile(recentFile),
    uploads: createUploadArea(uploadParent),
    events: createEventBus(),
    version: 'test',
    modelPath: TEST_MODEL,
  });
}
