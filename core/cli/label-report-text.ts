import type { LabelReport } from '../infer/propagation-report.js';
import { alignedTable } from './aligned-table.js';

/** Per label, what propagation decided and how well it expects to do, as aligned lines for a terminal. */
export function formatLabelReports(reports: readonly LabelReport[]): string {
  const rows = [
    ['label', 'labelled slices', 'predicted on slices', 'estimated Dice', 'leave-one-out: as run / network / shape'],
    ...reports.map((r) => [
      String(r.value),
      String(r.examples.length),
      `${r.extent[0]}-${r.extent[1]} (${r.extentFrom === 'user' ? 'set' : 'estimated'})`,
      percent(r.estimatedDice),
      r.leaveOneOut
        ? [r.leaveOneOut.asRun, r.leaveOneOut.networkAlone, r.leaveOneOut.shapeAlone].map(percent).join(' / ')
        : 'needs 3 labelled slices',
    ]),
  ];
  return alignedTable(rows);
}

function percent(dice: number | null): string {
  return dice === null ? '—' : (100 * dice).toFixed(1);
}
