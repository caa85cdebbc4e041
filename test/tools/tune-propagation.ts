/**
 * Propagation settings compared on AAL regions that were trained on (assets/eval/colin27-tuning.json), never on
 * the held-out ones: how every default of propagateVolume was chosen (see assets/models/MODEL_CARD.md). From the
 * repository root:
 *   node --import tsx test/tools/tune-propagation.ts [--model FILE] [--regimes extent:10,sparse:3,grid:10]
 *        [--end-reach R] [--network-weight W] [--registration on|off] [--align-support on|off] [--axis-smoothing SIGMA]
 *        [--support N] [--threads T]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseRegime } from '../../core/eval/evaluate-propagation.js';
import { loadHeldoutData } from '../../core/eval/heldout-data.js';
import { formatTablesText, reportTables } from '../../core/eval/report-tables.js';
import { runEvaluation } from '../../core/eval/run-evaluation.js';
import { defaultModelPath } from '../../core/infer/default-model.js';
import { loadModel } from '../../core/model/model.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    data: { type: 'string', default: 'assets/eval/colin27-tuning.json' },
    regimes: { type: 'string', default: 'extent:10,sparse:3,grid:10' },
    'end-reach': { type: 'string' },
    'network-weight': { type: 'string' },
    registration: { type: 'string' },
    'align-support': { type: 'string' },
    'axis-smoothing': { type: 'string' },
    support: { type: 'string' },
    threads: { type: 'string', default: '1' },
    json: { type: 'boolean' },
  },
});
const data = await loadHeldoutData(path.resolve(values.data!));
if (data.regions.some((r) => r.id % 5 === 0)) throw new Error('held-out regions (multiples of 5) are never used to choose settings');
const model = await loadModel(values.model ?? defaultModelPath(), { device: 'cpu', threads: Number(values.threads) });
const weight = values['network-weight'];
const report = await runEvaluation(model, {
  syntheticTasks: 0,
  heldout: data,
  axes: [],
  propagation: {
    regimes: values.regimes!.split(',').map(parseRegime),
    supportSize: values.support === undefined ? undefined : Number(values.support),
    settings: {
      endReach: values['end-reach'] === undefined ? undefined : Number(values['end-reach']),
      networkWeight: weight === undefined ? undefined : Number(weight),
      registration: values.registration === undefined ? undefined : values.registration === 'on',
      alignSupport: values['align-support'] === undefined ? undefined : values['align-support'] === 'on',
      axisSmoothing: values['axis-smoothing'] === undefined ? undefined : Number(values['axis-smoothing']),
    },
  },
});
console.log(formatTablesText(reportTables(report).filter((t) => t.title.startsWith('Volume propagation'))));
if (values.json)
  console.log(
    JSON.stringify(report.propagation.map((c) => ({ regime: c.regime, perRegion: c.perRegion.map(({ slices: _, ...r }) => r) }))),
  );
await model.release();
