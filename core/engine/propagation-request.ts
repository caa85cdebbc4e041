import type { PropagationSettings } from '../contract/index.js';
import { ApiError } from '../contract/errors.js';

/**
 * The label values a propagation predicts: those asked for, each of which must be on a support example, or all the
 * support shows. `unit`: what the support examples are, slices of a volume or images of a folder.
 */
export function labelsToPredict(
  onSupport: ReadonlySet<number>,
  requested: readonly number[] | undefined,
  unit: 'slice' | 'image',
): number[] {
  const values = requested ? [...requested] : [...onSupport].sort((a, b) => a - b);
  const absent = values.find((v) => !onSupport.has(v));
  if (absent !== undefined)
    throw new ApiError('bad-request', `label ${absent} is on no support ${unit}: paint it on one and mark that ${unit} as support`);
  if (values.length === 0) throw new ApiError('bad-request', `the support ${unit}s hold no label: paint on them first`);
  return values;
}

/** The settings a propagation runs with: those given, and the project's last ones for the rest. */
export function settingsFor(requested: Partial<PropagationSettings>, saved: PropagationSettings): PropagationSettings {
  return {
    supportSize: requested.supportSize ?? saved.supportSize,
    ensemble: requested.ensemble ?? saved.ensemble,
    seed: requested.seed ?? saved.seed,
    networkWeight: requested.networkWeight ?? saved.networkWeight,
    extents: requested.extents ?? saved.extents,
  };
}
