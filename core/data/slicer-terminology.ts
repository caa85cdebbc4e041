import type { Segment } from './segment.js';

/** A code as DICOM writes one: scheme designator, value, meaning (SNOMED CT: scheme "SCT"). */
export interface Code {
  scheme: string;
  value: string;
  meaning: string;
}

/** A segment with the anatomy it is coded as (Segmented Property Category and Type). */
export interface CodedSegment extends Segment {
  terminology?: { category: Code; type: Code };
}

/** The terminology context 3D Slicer files these codes under, and the (empty) anatomic region context. */
const CATEGORY_CONTEXT = 'Segmentation category and type - 3D Slicer General Anatomy list';
const REGION_CONTEXT = 'Anatomic codes - DICOM master list';

/**
 * The TerminologyEntry tag of a .seg.nrrd segment as 3D Slicer writes and reads it:
 * `context~category~type~type modifier~region context~region~region modifier`, each code `scheme^value^meaning`
 * and an empty one `^^`.
 */
export function terminologyEntry(t: NonNullable<CodedSegment['terminology']>): string {
  const code = (c: Code) => [c.scheme, c.value, c.meaning].map((part) => part.replace(/[~^|]/g, ' ')).join('^');
  return [CATEGORY_CONTEXT, code(t.category), code(t.type), '^^', REGION_CONTEXT, '^^', '^^'].join('~');
}

/** The category and type of a Segment<i>_Tags value ("key:value|key:value|"), or undefined when it codes none. */
export function terminologyFromTags(tags: string): CodedSegment['terminology'] {
  const entry = tags.split('|').find((t) => t.startsWith('TerminologyEntry:'));
  if (!entry) return undefined;
  const parts = entry.slice('TerminologyEntry:'.length).split('~');
  const code = (text: string | undefined): Code | null => {
    const [scheme, value, meaning] = (text ?? '').split('^');
    return scheme && value && meaning ? { scheme, value, meaning } : null;
  };
  const category = code(parts[1]);
  const type = code(parts[2]);
  return category && type ? { category, type } : undefined;
}
