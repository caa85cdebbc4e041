import type { Estimate } from './bootstrap.js';
import { PROPAGATION_METHODS, type PropagationMethod } from './evaluate-propagation.js';
import type { EvaluationReport, InContextMethod } from './evaluation-report.js';

/** A table of the report as strings, ready for any layout (terminal, Markdown). */
export interface Table {
  title: string;
  header: string[];
  /** Leading columns that name a row rather than hold a number. */
  labelColumns: number;
  rows: string[][];
  notes: string[];
}

const IN_CONTEXT_NAMES: Record<InContextMethod, string> = {
  universeg: 'UniverSeg',
  supportMean: 'support-mean prior',
  nearestSlice: 'nearest support slice',
};
const PROPAGATION_NAMES: Record<PropagationMethod, string> = {
  universeg: 'UniverSeg (network + shape)',
  network: 'network alone',
  shapeInterpolation: 'shape-based interpolation',
  nearestSlice: 'nearest labelled slice',
  contourInterpolation: 'contour interpolation',
};
const MISSING = '—';

/** Dice x 100 as "mean ± std". */
export function formatEstimate(e: Estimate | undefined): string {
  return e ? `${(100 * e.mean).toFixed(1)} ± ${(100 * e.std).toFixed(1)}` : MISSING;
}

/** One 2D table per task family (rows: ensemble x method, columns: support size), then the propagation table. */
export function reportTables(report: EvaluationReport): Table[] {
  const { plan } = report.settings;
  const tables: Table[] = [];
  for (const family of report.families) {
    const cells = report.inContext.filter((c) => c.family === family.name);
    const methods = (['universeg', 'supportMean', 'nearestSlice'] as InContextMethod[]).filter((m) => cells.some((c) => c.methods[m]));
    const rows: string[][] = [];
    for (const K of plan.ensembles) {
      const cell = (N: number) => cells.find((c) => c.supportSize === N && c.ensemble === K);
      for (const m of methods) rows.push([String(K), IN_CONTEXT_NAMES[m], ...plan.supportSizes.map((N) => formatEstimate(cell(N)?.methods[m]))]);
      rows.push([String(K), 'queries (tasks)', ...plan.supportSizes.map((N) => (cell(N) ? `${cell(N)!.queries} (${cell(N)!.tasks})` : MISSING))]);
    }
    const notes =
      family.kind === 'synthetic'
        ? [`${family.tasks.length} synthetic tasks never used in training (seeds 0x${report.settings.synthetic.firstSeed.toString(16)} + i), ${report.settings.synthetic.poolSize} support examples each.`]
        : heldoutNotes(report, family.tasks.length);
    tables.push({
      title: `2D in-context, ${family.name}: Dice x100, mean ± bootstrap std over query slices`,
      header: ['K', 'method', ...plan.supportSizes.map((N) => `N=${N}`)],
      labelColumns: 2,
      rows,
      notes: [
        ...notes,
        `Per task and cell, round(${plan.budget} / (N·K)) queries, between ${plan.minQueries} and ${plan.maxQueries} and at most the task has: the first ones of a fixed seeded order, so a dearer cell uses a subset of a cheaper one's queries. Each query draws its own K random support sets of N from the pool; the baselines use the same sets. — where N exceeds every pool (or K > 1 and N is the whole pool). Columns can differ in which tasks fill them (tasks in brackets): compare methods within a column. The std resamples query slices, not tasks, so it leaves out the uncertainty of which tasks were chosen.`,
      ],
    });
  }
  const propagation = report.settings.propagation;
  if (propagation && report.propagation.length) {
    const cells = report.propagation;
    tables.push({
      title: `Volume propagation, ${report.settings.heldout?.name ?? ''} held-out regions along axis ${propagation.axis}: Dice x100 over unlabelled slices, mean over regions ± bootstrap std`,
      header: ['method', ...cells.map((c) => `every ${c.step}th slice`)],
      labelColumns: 1,
      rows: [
        ...PROPAGATION_METHODS.map((m) => [PROPAGATION_NAMES[m], ...cells.map((c) => formatEstimate(c.methods[m]))]),
        ...PROPAGATION_METHODS.filter((m) => m !== 'universeg').map((m) => [`UniverSeg minus ${PROPAGATION_NAMES[m]}, paired`, ...cells.map((c) => formatEstimate(c.differences[m]))]),
        ['regions', ...cells.map((c) => String(c.regions))],
      ],
      notes: [
        `Every k-th slice labelled (empty ones too); the network with N=${propagation.supportSize} nearest labelled slices, K=${propagation.ensemble}; UniverSeg weighs its probability ${propagation.networkWeight} against ${+(1 - propagation.networkWeight).toFixed(3)} for the shape interpolated from the labelled slices on either side, as the workstation propagates. All methods fill the slices between the empty labelled slices just outside the region; truth beyond them counts as missed. Volume Dice per region; slices resampled within regions (${report.settings.resamples}x).`,
      ],
    });
  }
  return tables;
}

function heldoutNotes(report: EvaluationReport, tasks: number): string[] {
  const h = report.settings.heldout!;
  return [
    `${h.regions} held-out regions x axes ${h.axes.join(', ')}: ${tasks} tasks. Slices showing the region split into alternating support / query slabs of ${h.slab.width} slices with ${h.slab.gap}-slice gaps; Dice at the model's input size (${report.settings.inputSize}x${report.settings.inputSize}).`,
  ];
}

/** Aligned columns for a terminal. */
export function formatTablesText(tables: readonly Table[]): string {
  return tables
    .map((t) => {
      const all = [t.header, ...t.rows];
      const widths = t.header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
      const line = (r: string[]) => r.map((v, c) => (c < t.labelColumns ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ').trimEnd();
      return [t.title, line(t.header), ...t.rows.map(line), ...t.notes.map((n) => `  ${n}`)].join('\n');
    })
    .join('\n\n');
}

/** GitHub-flavoured Markdown, for the model card. */
export function formatTablesMarkdown(tables: readonly Table[]): string {
  return tables
    .map((t) => {
      const row = (r: string[]) => `| ${r.join(' | ')} |`;
      const rule = `|${t.header.map((_, c) => (c < t.labelColumns ? ' --- ' : ' ---: ')).join('|')}|`;
      return [`**${t.title}**`, '', row(t.header), rule, ...t.rows.map(row), '', ...t.notes.map((n) => `- ${n}`)].join('\n');
    })
    .join('\n\n');
}
