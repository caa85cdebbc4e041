/**
 * Per-label probabilities merged into one label map: a pixel takes the most probable label among those past 0.5,
 * and the uncertainty is the largest ensemble spread of any label.
 */
export class LabelMerge {
  readonly label: Uint8Array;
  readonly spread: Float32Array;
  private readonly probability: Float32Array;

  constructor(pixels: number) {
    this.label = new Uint8Array(pixels);
    this.spread = new Float32Array(pixels);
    this.probability = new Float32Array(pixels);
  }

  /** One label's probabilities (and spread, when an ensemble had members to disagree) on the same pixels. */
  add(value: number, probability: Float32Array, spread?: Float32Array): void {
    for (let i = 0; i < probability.length; i++) {
      if (probability[i]! > 0.5 && probability[i]! > this.probability[i]!) {
        this.probability[i] = probability[i]!;
        this.label[i] = value;
      }
      if (spread && spread[i]! > this.spread[i]!) this.spread[i] = spread[i]!;
    }
  }
}
