import { z } from 'zod';

/**
 * Coded anatomy of a label, as DICOM SEG (Segmented Property Category and Type) and 3D Slicer's terminology carry
 * it. Codes are SNOMED CT ("SCT"), from DICOM PS3.16 CID 7150 (Segmentation Property Categories) and the
 * anatomical types DICOM lists for CID 7151 and its included contexts (e.g. CID 7140 Brain Structures).
 */
export const CodedTermSchema = z.object({
  /** Coding scheme designator: "SCT" for SNOMED CT. */
  scheme: z.string().min(1).max(16),
  value: z.string().min(1).max(64),
  meaning: z.string().min(1).max(64),
});

export const SegmentTerminologySchema = z.object({ category: CodedTermSchema, type: CodedTermSchema });

export type CodedTerm = z.infer<typeof CodedTermSchema>;
export type SegmentTerminology = z.infer<typeof SegmentTerminologySchema>;

const sct = (value: string, meaning: string): CodedTerm => ({ scheme: 'SCT', value, meaning });

export const CATEGORIES = {
  tissue: sct('85756007', 'Tissue'),
  anatomicalStructure: sct('123037004', 'Anatomical Structure'),
  bodySubstance: sct('91720002', 'Body Substance'),
  morphologicallyAltered: sct('49755003', 'Morphologically Altered Structure'),
} as const;

const { tissue, anatomicalStructure, bodySubstance, morphologicallyAltered } = CATEGORIES;
const entry = (category: CodedTerm, value: string, meaning: string): SegmentTerminology => ({ category, type: sct(value, meaning) });

/** The common structures a label is named after, bundled (no terminology server is reached). */
export const ANATOMY: readonly SegmentTerminology[] = [
  entry(tissue, '85756007', 'Tissue'),
  entry(tissue, '55603005', 'Adipose tissue'),
  entry(anatomicalStructure, '12738006', 'Brain'),
  entry(anatomicalStructure, '4958002', 'Amygdala'),
  entry(anatomicalStructure, '11000004', 'Caudate nucleus'),
  entry(anatomicalStructure, '113305005', 'Cerebellum'),
  entry(anatomicalStructure, '15926001', 'Brainstem'),
  entry(anatomicalStructure, '88442005', 'Corpus callosum'),
  entry(anatomicalStructure, '14738005', 'Globus pallidus'),
  entry(anatomicalStructure, '5976004', 'Hippocampus'),
  entry(anatomicalStructure, '89278009', 'Putamen'),
  entry(anatomicalStructure, '42695009', 'Thalamus'),
  entry(anatomicalStructure, '66720007', 'Lateral ventricle'),
  entry(anatomicalStructure, '49841001', 'Third ventricle'),
  entry(anatomicalStructure, '35918002', 'Fourth ventricle'),
  entry(anatomicalStructure, '2748008', 'Spinal cord'),
  entry(anatomicalStructure, '80891009', 'Heart'),
  entry(anatomicalStructure, '39607008', 'Lung'),
  entry(anatomicalStructure, '15825003', 'Aorta'),
  entry(anatomicalStructure, '32849002', 'Esophagus'),
  entry(anatomicalStructure, '10200004', 'Liver'),
  entry(anatomicalStructure, '28231008', 'Gallbladder'),
  entry(anatomicalStructure, '78961009', 'Spleen'),
  entry(anatomicalStructure, '15776009', 'Pancreas'),
  entry(anatomicalStructure, '69695003', 'Stomach'),
  entry(anatomicalStructure, '64033007', 'Kidney'),
  entry(anatomicalStructure, '23451007', 'Adrenal gland'),
  entry(anatomicalStructure, '89837001', 'Urinary bladder'),
  entry(anatomicalStructure, '41216001', 'Prostate'),
  entry(anatomicalStructure, '272673000', 'Bone'),
  entry(anatomicalStructure, '89546000', 'Skull'),
  entry(anatomicalStructure, '71341001', 'Femur'),
  entry(bodySubstance, '87612001', 'Blood'),
  entry(bodySubstance, '65216001', 'Cerebrospinal fluid'),
  entry(morphologicallyAltered, '108369006', 'Neoplasm'),
  entry(morphologicallyAltered, '52988006', 'Lesion'),
];

/** Entries whose type or category meaning contains every word of `query` (case-insensitive), or whose code is it. */
export function searchAnatomy(query: string): SegmentTerminology[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return ANATOMY.filter((t) => {
    const text = `${t.type.meaning} ${t.category.meaning}`.toLowerCase();
    return words.every((w) => text.includes(w) || t.type.value === w);
  });
}
