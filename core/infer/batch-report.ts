import { writeFileAtomic } from '../util/write-file-atomic.js';

/** One line of a batch segmentation's report: a label of a volume, or a volume (or support) left out. */
export interface BatchReportRow {
  volume: string;
  output: string | null;
  status: 'segmented' | 'resumed' | 'skipped';
  label: number | null;
  name: string | null;
  /** Volume of the label in mL, from the voxel spacing. */
  volumeMl: number | null;
  /** First and last slice along k holding the label (0-based). */
  firstSlice: number | null;
  lastSlice: number | null;
  /** Mean of 1 - |2p - 1| over the voxels whose probability of the label is at least 0.05. */
  meanUncertainty: number | null;
  /** Leave-one-out Dice over the support subjects at the weight used (0..1); null with a single support subject. */
  estimatedDice: number | null;
  /** The same for the registered atlases alone and for the network alone. */
  priorDice: number | null;
  networkDice: number | null;
  /** The network's weight against the multi-atlas prior. */
  networkWeight: number | null;
  /** Seconds spent on the volume (registration included). */
  seconds: number | null;
  /** Why a volume was skipped, or what was left out of its support. */
  note: string;
}

const COLUMNS: (keyof BatchReportRow)[] = [
  'volume',
  'output',
  'status',
  'label',
  'name',
  'volumeMl',
  'firstSlice',
  'lastSlice',
  'meanUncertainty',
  'estimatedDice',
  'priorDice',
  'networkDice',
  'networkWeight',
  'seconds',
  'note',
];

/** Writes the report as JSON (`.json`) or CSV (anything else), atomically. */
export async function writeBatchReport(file: string, rows: readonly BatchReportRow[], summary: Record<string, unknown>): Promise<void> {
  if (file.toLowerCase().endsWith('.json')) {
    await writeFileAtomic(file, `${JSON.stringify({ ...summary, rows }, null, 2)}\n`);
    return;
  }
  const cell = (v: unknown) => {
    const text = v === null || v === undefined ? '' : typeof v === 'number' ? String(+v.toFixed(4)) : String(v);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  await writeFileAtomic(file, [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => cell(r[c])).join(','))].join('\n') + '\n');
}
