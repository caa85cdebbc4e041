/**
 * Binary morphology with a (2r+1) x (2r+1) square, done as two separable passes that count foreground in a
 * sliding window (cost independent of r). Pixels outside the image are ignored, so the frame border neither
 * grows nor erodes labels.
 */
export function dilate(label: Float32Array, size: number, radius: number): Float32Array {
  return squareFilter(label, size, radius, true, false);
}

/** With `edgeErodes`, pixels outside the image count as background, so a label touching the frame erodes there too. */
export function erode(label: Float32Array, size: number, radius: number, edgeErodes = false): Float32Array {
  return squareFilter(label, size, radius, false, edgeErodes);
}

/** The boundary band of a binary label: dilation minus erosion by one pixel (two pixels wide). */
export function labelEdges(label: Float32Array, size: number): Float32Array {
  const outer = dilate(label, size, 1);
  const inner = erode(label, size, 1);
  for (let i = 0; i < outer.length; i++) outer[i]! -= inner[i]!;
  return outer;
}

function squareFilter(label: Float32Array, size: number, radius: number, grow: boolean, edgeErodes: boolean): Float32Array {
  const tmp = new Float32Array(label.length);
  const out = new Float32Array(label.length);
  // Pass 1 filters rows (stride 1), pass 2 columns (stride size), each reading the previous pass's output.
  windowPass(label, tmp, size, radius, grow, edgeErodes, size, 1);
  windowPass(tmp, out, size, radius, grow, edgeErodes, 1, size);
  return out;
}

function windowPass(
  src: Float32Array,
  dst: Float32Array,
  size: number,
  radius: number,
  grow: boolean,
  edgeErodes: boolean,
  lineStride: number,
  step: number,
): void {
  for (let line = 0; line < size; line++) {
    const base = line * lineStride;
    let count = 0;
    for (let j = 0; j < Math.min(radius, size); j++) count += src[base + j * step]!;
    for (let j = 0; j < size; j++) {
      if (j + radius < size) count += src[base + (j + radius) * step]!;
      if (j - radius - 1 >= 0) count -= src[base + (j - radius - 1) * step]!;
      const width = edgeErodes ? 2 * radius + 1 : Math.min(size - 1, j + radius) - Math.max(0, j - radius) + 1;
      dst[base + j * step] = grow ? (count > 0 ? 1 : 0) : count === width ? 1 : 0;
    }
  }
}
