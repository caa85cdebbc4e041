/**
 * A label's expected Dice from how far the network's and the interpolated shape's masks agree on its predicted
 * slices: two methods that fail differently agree where both are right. The line was fitted on training regions
 * (assets/eval/colin27-tuning.json, four labelling regimes, 64 region runs, propagation with registration;
 * MODEL_CARD.md): Dice ≈ -0.038 + 1.050 x agreement, mean absolute error 4.8 Dice points against 7.5 for the mean
 * alone. The leave-one-out Dice of the labelled slices tracked the real Dice less well (each held-out slice lies
 * twice as far from its neighbours as an unlabelled one: 20-36 points low, r = 0.6-0.9 within a regime).
 */
const INTERCEPT = -0.038;
const SLOPE = 1.05;

export function estimateDice(agreement: number | null): number | null {
  return agreement === null ? null : Math.min(1, Math.max(0, INTERCEPT + SLOPE * agreement));
}
