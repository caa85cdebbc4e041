import type { EngineParts } from './engine-parts.js';
import type { Project } from '../project/project.js';

/** A 2D image's project has one slice along its axis: the image. */
export const IMAGE = 0;

export interface StudyImage {
  itemId: string;
  project?: Project;
  /** Why the image could not be opened, if it could not. */
  error?: string;
}

/** Every 2D image of a study (a folder of images) with its project, or why it could not be opened. */
export async function studyImages(parts: EngineParts, studyId: string): Promise<StudyImage[]> {
  const items = parts.studies.items(studyId).filter((item) => item.kind === 'image2d');
  const opened: StudyImage[] = [];
  for (const item of items) {
    try {
      opened.push({ itemId: item.id, project: await parts.projectFor(studyId, item.id) });
    } catch (err) {
      opened.push({ itemId: item.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return opened;
}

/** The images marked as support, with their projects. */
export function supportOf(images: readonly StudyImage[]): { itemId: string; project: Project }[] {
  return images.filter((a): a is { itemId: string; project: Project } => a.project?.statusOf(IMAGE) === 'support');
}
