import type { Estimate } from './bootstrap.js';
import { PROPAGATION_METHODS, type LabellingRegime, type PropagationMethod } from './evaluate-propagation.js';
import type { EvaluationReport, InContextFamily, InContextMethod } from './evaluation-report.js';

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
  universeg: 'UniverSeg (as propagated)',
  network: 'network alone',
  shapeInterpolation: 'shape-based interpolation',
  nearestSlice: 'nearest labelled slice',
  contourInterpolation: 'contour interpolation',
};
const MISSING = '—';
const REGIME_HEADERS: { [K in LabellingRegime['kind']]: (r: LabellingRegime) => string } = {
  grid: (r) => `every ${'step' in r ? r.step : 0}th, whole volume${r.kind === 'grid' && r.offset ? ` from slice ${r.offset}` : ''}`,
  extent: (r) => `from its first slice, every ${'step' in r ? r.step : 0}th`,
  sparse: (r) => `${'count' in r ? r.count : 0} slices across it`,
};

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
      for (const m of methods)
        rows.push([String(K), IN_CONTEXT_NAMES[m], ...plan.supportSizes.map((N) => formatEstimate(cell(N)?.methods[m]))]);
      rows.push([
        String(K),
        'queries (tasks)',
        ...plan.supportSizes.map((N) => (cell(N) ? `${cell(N)!.queries} (${cell(N)!.tasks})` : MISSING)),
      ]);
    }
    const notes =
      family.kind === 'synthetic'
        ? [
            `${family.tasks.length} synthetic tasks never used in training (seeds 0x${report.settings.synthetic.firstSeed.toString(16)} + i), ${report.settings.synthetic.poolSize} support examples each.`,
          ]
        : [...heldoutNotes(report, family.tasks.length), ...derivedNotes(report, family.kind)];
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
    const percent = (v: number) => `${(100 * v).toFixed(1)}%`;
    const spread = (c: (typeof cells)[number], m: PropagationMethod) => {
      const r = c.overRegions[m];
      return r ? `${(100 * r.mean).toFixed(1)} ± ${(100 * r.standardError).toFixed(1)} (${r.wins}/${r.regions})` : MISSING;
    };
    const baselines = PROPAGATION_METHODS.filter((m) => m !== 'universeg');
    tables.push({
      title: `Volume propagation, ${report.settings.heldout?.name ?? ''} held-out regions along axis ${propagation.axis}: Dice x100 over unlabelled slices, mean over regions ± bootstrap std`,
      header: ['method', ...cells.map((c) => REGIME_HEADERS[c.regime.kind](c.regime))],
      labelColumns: 1,
      rows: [
        ...PROPAGATION_METHODS.map((m) => [PROPAGATION_NAMES[m], ...cells.map((c) => formatEstimate(c.methods[m]))]),
        ...baselines.map((m) => [
          `UniverSeg minus ${PROPAGATION_NAMES[m]}, paired over slices`,
          ...cells.map((c) => formatEstimate(c.differences[m])),
        ]),
        ...baselines.map((m) => [`UniverSeg minus ${PROPAGATION_NAMES[m]}, over regions (wins)`, ...cells.map((c) => spread(c, m))]),
        ...PROPAGATION_METHODS.map((m) => [
          `voxels beyond the true extent, ${PROPAGATION_NAMES[m]}`,
          ...cells.map((c) => percent(c.beyond[m])),
        ]),
        [
          'estimated Dice against real, UniverSeg',
          ...cells.map((c) =>
            c.estimate ? `${(100 * c.estimate.estimated).toFixed(1)} / ${(100 * c.estimate.real).toFixed(1)}` : MISSING,
          ),
        ],
        [
          'estimate: mean abs. error, correlation over regions',
          ...cells.map((c) =>
            c.estimate
              ? `${(100 * c.estimate.meanAbsoluteError).toFixed(1)}, r = ${c.estimate.correlation?.toFixed(2) ?? MISSING} (${c.estimate.regions})`
              : MISSING,
          ),
        ],
        ['regions', ...cells.map((c) => String(c.regions))],
      ],
      notes: [
        `Columns: how the user labelled (core/eval/evaluate-propagation.ts). "every k-th, whole volume": every k-th slice across the volume, empty ones too, propagated between the empty labelled slices just outside the region (truth beyond them counts as missed). "from its first slice": the region's first slice and every k-th after it up to its last, no empty slice. "C slices across it": the centres of C equal parts of its extent. In the last two the whole volume is propagated and every method finds the ends itself.`,
        `The network with N=${propagation.supportSize} nearest labelled slices, K=${propagation.ensemble}; UniverSeg as the workstation propagates: the network weighed ${propagation.networkWeight} against ${+(1 - propagation.networkWeight).toFixed(3)} for the shape interpolated from the labelled slices on either side (signed distances and contour interpolation), each label ending where its labelled slices say; the network alone and the shape alone end the same way. Volume Dice per region; ± resamples slices within regions (${report.settings.resamples}x); "over regions" is the mean of per-region differences ± its standard error over regions, with the regions where UniverSeg is ahead. Voxels beyond: predicted on slices outside the region's true first..last slice, per voxel of the region, mean over regions. Estimated Dice: what propagation tells the user, from how far the network and the shape agree (core/infer/dice-estimate.ts), against the real Dice of the same regions.`,
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

/** What a family derived from the held-out data changed, and why it only stands in for what it is named after. */
function derivedNotes(report: EvaluationReport, kind: InContextFamily['kind']): string[] {
  const d = report.settings.derived;
  switch (kind) {
    case 'pseudo-subject':
      return [
        `Proxy for another subject: support slices from the volume as it is, queries from the query slabs of ${d?.pseudoSubjectSeeds.length ?? 0} pseudo-subjects of it (seeds ${d?.pseudoSubjectSeeds.join(', ') ?? ''}; affine change, smooth deformation, intensity curve, bias field, noise: core/eval/pseudo-subject.ts). They share the folding pattern and the contrast of the support, so they are nearer to it than a real subject would be; the nearest support slice copies the label of the same slice index of the undeformed volume.`,
      ];
    case 'pseudo-modality':
      return [
        'Proxy for another contrast: support and queries of each task pass through one random smooth non-monotonic map of the normalised intensity (a sum of sines with at least one fold, seeded per task). It is still a function of the T1 image: no anatomy appears that T1 does not show.',
      ];
    case 'thin':
      return [
        `Proxy for thin structures: each region's rim at the model's input size (the region minus its erosion by a ${2 * (d?.rimWidth ?? 0) + 1}x${2 * (d?.rimWidth ?? 0) + 1} square, ${d?.rimWidth ?? 0} px wide) as the label, support and queries alike. Outlines of blobs, not vessels or walls; Dice of thin labels falls fast with any shift.`,
      ];
    default:
      return [];
  }
}

/** Aligned columns for a terminal. */
export function formatTablesText(tables: readonly Table[]): string {
  return tables
    .map((t) => {
      const all = [t.header, ...t.rows];
      const widths = t.header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
      const line = (r: string[]) =>
        r
          .map((v, c) => (c < t.labelColumns ? v.padEnd(widths[c]!) : v.padStart(widths[c]!)))
          .join('  ')
          .trimEnd();
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
