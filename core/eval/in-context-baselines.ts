/**
 * What a support set gives without the network, for 2D in-context evaluation. Both see exactly the support
 * examples the network was given: `members` are the pool indices of each ensemble member's support set.
 */

/**
 * The support-mean prior: per pixel, the mean of the support labels (averaged over the members, as the network's
 * probabilities are), foreground where it exceeds 0.5. It scores well wherever a structure sits in the same
 * place in every image, which is what a network must beat to show it looks at the query.
 */
export function supportMeanPrior(poolLabels: Float32Array, plane: number, members: readonly (readonly number[])[]): Uint8Array {
  if (members.length === 0 || members.some((m) => m.length === 0))
    throw new Error('the support-mean prior needs at least one support example per member');
  const mean = new Float32Array(plane);
  for (const member of members) {
    const weight = 1 / (member.length * members.length);
    for (const p of member) {
      const label = poolLabels.subarray(p * plane, (p + 1) * plane);
      if (label.length !== plane) throw new RangeError(`pool index ${p} is outside the pool`);
      for (let i = 0; i < plane; i++) mean[i]! += weight * label[i]!;
    }
  }
  return Uint8Array.from(mean, (v) => (v > 0.5 ? 1 : 0));
}

/**
 * The pool index of the support example whose slice lies nearest the query's (the lower on ties): the label a
 * user would copy from the closest labelled slice. `poolSlices[p]` is the slice index of pool example p.
 */
export function nearestSupportExample(querySlice: number, poolSlices: readonly number[], members: readonly (readonly number[])[]): number {
  let best = -1;
  for (const member of members) {
    for (const p of member) {
      const s = poolSlices[p];
      if (s === undefined) throw new RangeError(`pool index ${p} has no slice index`);
      if (best < 0) best = p;
      const d = Math.abs(s - querySlice);
      const bestDistance = Math.abs(poolSlices[best]! - querySlice);
      if (d < bestDistance || (d === bestDistance && s < poolSlices[best]!)) best = p;
    }
  }
  if (best < 0) throw new Error('no support example to copy from');
  return best;
}
