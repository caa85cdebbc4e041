import type { Slice } from '../data/extract-slice.js';

/**
 * A predicted slice or image as it crosses the job channel, whose messages are JSON: its label and spread bytes
 * as base64.
 */
export interface EncodedPrediction {
  width: number;
  height: number;
  labels: string;
  uncertainty: string;
}

export function encodePrediction(labels: Slice<Uint8Array>, spread: Float32Array): EncodedPrediction {
  return { width: labels.width, height: labels.height, labels: toBase64(labels.data), uncertainty: toBase64(spread) };
}

export function decodePrediction(e: EncodedPrediction): { labels: Slice<Uint8Array>; spread: Float32Array } {
  const labels = new Uint8Array(Buffer.from(e.labels, 'base64'));
  // Copied into a fresh buffer: a decoded Buffer may sit at an offset that is not a multiple of 4.
  const spread = new Float32Array(new Uint8Array(Buffer.from(e.uncertainty, 'base64')).buffer);
  return { labels: { data: labels, width: e.width, height: e.height }, spread };
}

function toBase64(view: Uint8Array | Float32Array): string {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64');
}
