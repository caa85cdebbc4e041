import { expect, test } from '@playwright/test';
import { BlendTable, composeSlice } from '../../renderer/src/viewer/compose-slice.js';
import { labelColor } from '../../renderer/src/viewer/label-colors.js';
import { imageToVoxel, sliceOffset, viewGeometry, voxelToImage, voxelToPhysical } from '../../renderer/src/viewer/orientation.js';
import { fillPolygon, floodFill, paintDisc, paintLine, paintRule } from '../../renderer/src/viewer/paint.js';

/** The viewer's pure logic (no browser): orientation, compositing, key map. */

const identity = [1, 0, 0, 0, 1, 0, 0, 0, 1];
const image = (direction: number[], size = [4, 5, 6], spacing = [1, 2, 3]) => ({ size, spacing, direction, origin: [10, 20, 30] });

test('LPS-stored image (ITK identity): axial shows i to the right (patient left), j down (posterior)', () => {
  const g = viewGeometry('axial', image(identity));
  expect(g).toMatchObject({
    sliceAxis: 2,
    xAxis: 0,
    yAxis: 1,
    flipX: false,
    flipY: false,
    width: 4,
    height: 5,
    spacingX: 1,
    spacingY: 2,
    forwardStep: 1,
  });
  expect(g.edges).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
  const coronal = viewGeometry('coronal', image(identity));
  expect(coronal).toMatchObject({ sliceAxis: 1, xAxis: 0, yAxis: 2, flipX: false, flipY: true, forwardStep: -1 });
  expect(coronal.edges).toEqual({ left: 'R', right: 'L', top: 'S', bottom: 'I' });
  const sagittal = viewGeometry('sagittal', image(identity));
  expect(sagittal).toMatchObject({ sliceAxis: 0, xAxis: 1, yAxis: 2, flipX: false, flipY: true, forwardStep: -1 });
  expect(sagittal.edges).toEqual({ left: 'A', right: 'P', top: 'S', bottom: 'I' });
});

test('RAS-stored NIfTI (ITK direction diag(-1, -1, 1)) is flipped back to radiological view', () => {
  const g = viewGeometry('axial', image([-1, 0, 0, 0, -1, 0, 0, 0, 1]));
  expect(g).toMatchObject({ xAxis: 0, yAxis: 1, flipX: true, flipY: true });
  // Voxel i = 0 lies at the patient's right: the left edge of the screen.
  expect(voxelToImage(g, [3, 4, 0])).toEqual([0, 0]);
});

test('a sagittally stored volume (i: posterior, j: inferior, k: left) shows upright in every view', () => {
  // Column c of the direction matrix is the physical direction of index axis c.
  const direction = [0, 0, 1, 1, 0, 0, 0, -1, 0];
  const axial = viewGeometry('axial', image(direction));
  expect(axial).toMatchObject({ sliceAxis: 1, xAxis: 2, yAxis: 0, flipX: false, flipY: false });
  const sagittal = viewGeometry('sagittal', image(direction));
  expect(sagittal).toMatchObject({ sliceAxis: 2, xAxis: 0, yAxis: 1, flipX: false, flipY: false, width: 4, height: 5 });
  // "Next slice" in axial goes superior: index j decreases, since j points inferior.
  expect(axial.forwardStep).toBe(-1);
});

test('a 45-degree oblique image still gets three distinct axes', () => {
  const c = Math.SQRT1_2;
  const g = viewGeometry('axial', image([c, -c, 0, c, c, 0, 0, 0, 1]));
  expect(new Set([g.sliceAxis, g.xAxis, g.yAxis]).size).toBe(3);
});

test('screen pixel, voxel and slice offset agree for every pixel of every view', () => {
  for (const direction of [identity, [-1, 0, 0, 0, -1, 0, 0, 0, 1], [0, 0, 1, 1, 0, 0, 0, -1, 0]]) {
    for (const view of ['axial', 'coronal', 'sagittal'] as const) {
      const info = image(direction);
      const g = viewGeometry(view, info);
      const [lower, higher] = [0, 1, 2].filter((a) => a !== g.sliceAxis) as [number, number];
      // A slice whose every pixel holds its own (lower, higher) index pair, as the engine lays slices out.
      const width = info.size[lower]!;
      const slice = new Float32Array(width * info.size[higher]!);
      for (let n = 0; n < slice.length; n++) slice[n] = (n % width) * 1000 + Math.floor(n / width);
      const out = new Uint32Array(g.width * g.height);
      for (let v = 0; v < g.height; v++) {
        for (let u = 0; u < g.width; u++) {
          const voxel = imageToVoxel(g, u, v, 1);
          expect(voxelToImage(g, voxel)).toEqual([u, v]);
          expect(slice[sliceOffset(g, width, voxel)]).toBe(voxel[lower]! * 1000 + voxel[higher]!);
        }
      }
      // composeSlice walks the same mapping with strides: check it against the per-pixel one.
      composeSlice(
        out,
        g,
        { width, height: info.size[higher]!, data: slice },
        { width: 1e9, level: 0 },
        null,
        { visible: false, opacity: 0, outline: false },
        new BlendTable().update(0),
      );
      expect(out.length).toBe(g.width * g.height);
    }
  }
});

test('compositing: window/level maps to grey, labels blend at their opacity, outlines leave interiors clear', () => {
  const g = viewGeometry('axial', image(identity, [5, 5, 1], [1, 1, 1]));
  const grey = new Float32Array(25).fill(100);
  grey[0] = 0;
  grey[1] = 200;
  const labels = new Uint8Array(25);
  for (const n of [6, 7, 8, 11, 12, 13, 16, 17, 18]) labels[n] = 2; // a 3x3 square, centre 12
  const out = new Uint32Array(25);
  const rgba = (p: number) => [out[p]! & 255, (out[p]! >> 8) & 255, (out[p]! >> 16) & 255, out[p]! >>> 24];
  const window = { width: 200, level: 100 };
  composeSlice(
    out,
    g,
    { width: 5, height: 5, data: grey },
    window,
    { width: 5, height: 5, data: labels },
    { visible: true, opacity: 1, outline: false },
    new BlendTable().update(1),
  );
  expect(rgba(0)).toEqual([0, 0, 0, 255]);
  expect(rgba(1)).toEqual([255, 255, 255, 255]);
  expect(rgba(2)).toEqual([128, 128, 128, 255]);
  expect(rgba(12).slice(0, 3)).toEqual(labelColor(2));
  composeSlice(
    out,
    g,
    { width: 5, height: 5, data: grey },
    window,
    { width: 5, height: 5, data: labels },
    { visible: true, opacity: 1, outline: true },
    new BlendTable().update(1),
  );
  expect(rgba(12)).toEqual([128, 128, 128, 255]);
  expect(rgba(6).slice(0, 3)).toEqual(labelColor(2));
  composeSlice(
    out,
    g,
    { width: 5, height: 5, data: grey },
    window,
    { width: 5, height: 5, data: labels },
    { visible: true, opacity: 0.5, outline: false },
    new BlendTable().update(0.5),
  );
  const [r] = labelColor(2);
  expect(rgba(12)[0]).toBe(Math.round(128 + (r - 128) * 0.5));
});

test('physical position: origin + direction * index * spacing', () => {
  expect(voxelToPhysical(image([-1, 0, 0, 0, -1, 0, 0, 0, 1]), [1, 1, 1])).toEqual([9, 18, 33]);
});

test('painting: a round brush, lines without gaps, polygons and fills, through the view orientation', () => {
  // A RAS-stored 2D image: the view flips both axes, so view pixel (0, 0) is the last pixel of the slice.
  const g = viewGeometry('axial', image([-1, 0, 0, 0, -1, 0, 0, 0, 1], [9, 9, 1], [1, 1, 1]));
  const data = new Uint8Array(81);
  const target = { data, g, sliceWidth: 9 };
  const anything = paintRule({ labels: data, value: 1, locked: new Set() });
  expect(paintDisc(target, 0, 0, 1, 1, anything)).toBe(1);
  expect(data[80]).toBe(1);
  data.fill(0);
  // Diameter 5: the pixels within 2.5 of the centre, a round 21-pixel disc.
  expect(paintDisc(target, 4, 4, 5, 1, anything)).toBe(21);
  data.fill(0);
  // A stroke is a disc where it starts, then the line to each next position (which leaves out its start).
  paintLine(target, [0, 4], [8, 4], 1, 1, anything);
  expect([...data.subarray(36, 45)]).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0]);
  data.fill(0);
  // A square polygon around pixel centres 2..5 fills 4 x 4 pixels.
  expect(
    fillPolygon(
      target,
      [
        [2, 2],
        [6, 2],
        [6, 6],
        [2, 6],
      ],
      3,
      paintRule({ labels: data, value: 3, locked: new Set() }),
    ),
  ).toBe(16);
  // The fill of the background around it takes every other pixel; a locked label is never painted over.
  expect(floodFill(target, 0, 0, 2, paintRule({ labels: data, value: 2, locked: new Set([3]) }))).toBe(81 - 16);
  expect(floodFill(target, 3, 3, 2, paintRule({ labels: data, value: 2, locked: new Set([3]) }))).toBe(0);
  // The eraser clears the 69-pixel disc but for the 16 locked pixels inside it.
  const eraser = paintRule({ labels: data, value: 0, locked: new Set([3]) });
  expect(paintDisc(target, 4, 4, 9, 0, eraser)).toBe(69 - 16);
  expect(data.filter((v) => v === 3).length).toBe(16);
});

test('the threshold brush paints only within its intensity range', () => {
  const g = viewGeometry('axial', image(identity, [4, 1, 1], [1, 1, 1]));
  const labels = new Uint8Array(4);
  const grey = Float32Array.of(10, 50, 90, 130);
  const rule = paintRule({ labels, value: 1, locked: new Set(), grey, range: { min: 40, max: 100 } });
  paintLine({ data: labels, g, sliceWidth: 4 }, [0, 0], [3, 0], 1, 1, rule);
  expect([...labels]).toEqual([0, 1, 1, 0]);
});
