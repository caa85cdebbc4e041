import type { CleanupOp } from '../contract/index.js';
import type { Axis } from '../data/volume.js';
import type { Grid3 } from '../util/distance-transform.js';
import { fillHoles } from './fill-holes.js';
import { keepLargestIsland, removeSmallIslands } from './islands.js';
import { maskOf, withData, type Mask } from './mask.js';
import { closing, grow, median, opening, shrink } from './morphology.js';
import { bySlice } from './slice-mask.js';

type LabelGrid = Grid3 & { data: Uint8Array };

/**
 * One clean-up of label `label` on a label map (a volume, or one slice as a grid one voxel thick), as a new map.
 * The label only takes background voxels, so no other label is painted over, except by the logical operations that
 * say so (add and copy take the other label's voxels). Holes are filled slice by slice normal to `sliceAxis`.
 */
export function cleanUp(labels: LabelGrid, label: number, op: CleanupOp, sliceAxis: Axis): Uint8Array {
  const before = maskOf(labels, label);
  const claim = new Set([0]);
  let after: Mask;
  switch (op.op) {
    case 'keep-largest':
      after = keepLargestIsland(before);
      break;
    case 'remove-small':
      after = removeSmallIslands(before, op.minVoxels);
      break;
    case 'fill-holes':
      after = holesFilled(before, sliceAxis);
      break;
    case 'closing':
      after = closing(before, op.radiusMm);
      break;
    case 'opening':
      after = opening(before, op.radiusMm);
      break;
    case 'median':
      after = median(before, op.radius);
      break;
    case 'grow':
      after = grow(before, op.marginMm);
      break;
    case 'shrink':
      after = shrink(before, op.marginMm);
      break;
    case 'logical': {
      const other = maskOf(labels, op.other);
      if (op.operation === 'add' || op.operation === 'copy') claim.add(op.other);
      after = combine(before, other, op.operation, sliceAxis);
    }
  }
  const out = labels.data.slice();
  for (let n = 0; n < out.length; n++) {
    if (after.data[n] === 1 && before.data[n] === 0 && claim.has(out[n]!)) out[n] = label;
    else if (after.data[n] === 0 && before.data[n] === 1) out[n] = 0;
  }
  return out;
}

function holesFilled(mask: Mask, sliceAxis: Axis): Mask {
  return withData(
    mask,
    bySlice(mask, sliceAxis, (slice) => fillHoles(slice).data),
  );
}

/**
 * A voxel holds one label, so two labels never overlap: "the part of A inside B" means inside B's outline, B with
 * what it encloses (holes filled as fill-holes fills them), which is where a structure nested in B lies.
 */
function combine(a: Mask, b: Mask, operation: 'add' | 'subtract' | 'intersect' | 'copy', sliceAxis: Axis): Mask {
  if (operation === 'copy') return b;
  if (operation === 'add')
    return withData(
      a,
      a.data.map((v, n) => v | b.data[n]!),
    );
  const inside = holesFilled(b, sliceAxis).data;
  const keep = operation === 'intersect' ? 1 : 0;
  return withData(
    a,
    a.data.map((v, n) => (v === 1 && inside[n] === keep ? 1 : 0)),
  );
}
