import assert from 'node:assert/strict';
import { test } from 'node:test';
import vtkCamera from '@kitware/vtk.js/Rendering/Core/Camera';
import fc from 'fast-check';
import { moveCamera, wheelCamera } from '../../../renderer/src/surface/camera-moves.js';

/** The 3D view's camera as reset: looking at the patient from the front, superior up, 300 mm away. */
function frontCamera() {
  const camera = vtkCamera.newInstance();
  camera.setFocalPoint(10, 20, 30);
  camera.setPosition(10, -280, 30);
  camera.setViewUp(0, 0, 1);
  return camera;
}

const SIZE: [number, number] = [400, 300];
const sub = (a: readonly number[], b: readonly number[]) => a.map((v, i) => v - b[i]!);
const norm = (a: readonly number[]) => Math.hypot(...a);
const near = (a: readonly number[], b: readonly number[], tol = 1e-6) => assert.ok(norm(sub(a, b)) < tol, `${a} != ${b}`);
const pixels = fc.double({ min: -300, max: 300, noNaN: true });

test('a rotating drag turns the eye around the focal point at the same distance, with the view up kept square to it', () => {
  fc.assert(
    fc.property(pixels, pixels, (dx, dy) => {
      const camera = frontCamera();
      moveCamera(camera, { mode: 'rotate', dx, dy }, SIZE);
      near(camera.getFocalPoint(), [10, 20, 30]);
      assert.ok(Math.abs(norm(sub(camera.getPosition(), camera.getFocalPoint())) - 300) < 1e-6);
      const dot = camera.getViewUp().reduce((n, u, i) => n + u * camera.getDirectionOfProjection()[i]!, 0);
      assert.ok(Math.abs(dot) < 1e-9);
    }),
  );
});

test("dragging to the right turns the scene as a trackball does: the eye moves 20 degrees to the screen's left (-x)", () => {
  const camera = frontCamera();
  // vtk.js's trackball: -20 / width degrees a pixel, times its motion factor 10: 40 px of 400 turn 20 degrees.
  moveCamera(camera, { mode: 'rotate', dx: 40, dy: 0 }, SIZE);
  const turned = sub(camera.getPosition(), camera.getFocalPoint());
  assert.ok(Math.abs(Math.atan2(-turned[0]!, -turned[1]!) * (180 / Math.PI) - 20) < 1e-6);
});

test('a pan moves eye and focal point together; the point under the cursor follows it at the focal plane', () => {
  fc.assert(
    fc.property(pixels, pixels, (dx, dy) => {
      const camera = frontCamera();
      moveCamera(camera, { mode: 'pan', dx, dy }, SIZE);
      const shift = sub(camera.getFocalPoint(), [10, 20, 30]);
      near(sub(camera.getPosition(), [10, -280, 30]), shift);
      // At 300 mm with a 30 degree view angle, the view's 300 px span 2 x 300 x tan(15 degrees) mm.
      const mmPerPixel = (2 * 300 * Math.tan(Math.PI / 12)) / SIZE[1];
      // Seen from the front the screen's right is +x (the patient's left). Dragging right moves the scene right:
      // the camera goes left (-x); dragging down moves it down: the camera goes up (+z).
      near(shift, [-dx * mmPerPixel, 0, dy * mmPerPixel], 1e-6);
    }),
  );
});

test('zooming by drag or wheel moves the eye along the line of sight, closer for an upward drag or a wheel turned away', () => {
  const distance = (c: ReturnType<typeof frontCamera>) => norm(sub(c.getPosition(), c.getFocalPoint()));
  const dragged = frontCamera();
  moveCamera(dragged, { mode: 'zoom', dx: 0, dy: -30 }, SIZE);
  // 1.1^(10 x 30 / 150) = 1.21: a dolly divides the distance by it.
  assert.ok(Math.abs(distance(dragged) - 300 / 1.1 ** 2) < 1e-6);
  const wheeled = frontCamera();
  wheelCamera(wheeled, -100);
  assert.ok(Math.abs(distance(wheeled) - 300 / Math.exp(0.1)) < 1e-6);
  near(wheeled.getDirectionOfProjection(), [0, 1, 0]);
  wheelCamera(wheeled, 100);
  assert.ok(Math.abs(distance(wheeled) - 300) < 1e-6);
});
