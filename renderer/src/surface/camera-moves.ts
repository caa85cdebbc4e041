import type vtkCamera from '@kitware/vtk.js/Rendering/Core/Camera';
import type { CameraDrag } from './scene-protocol.js';

type Camera = ReturnType<typeof vtkCamera.newInstance>;

/**
 * Trackball camera moves with the arithmetic of vtk.js's InteractorStyleTrackballCamera (motion factor 10,
 * 1.1^x dolly). Written here because that style reads its input from a DOM interactor, and the 3D view draws in a
 * worker, which has no DOM: the page forwards the drags and this applies them.
 */
const MOTION_FACTOR = 10;

export function moveCamera(camera: Camera, drag: CameraDrag, size: readonly [number, number]): void {
  const [width, height] = size;
  if (width <= 0 || height <= 0) return;
  if (drag.mode === 'rotate') {
    camera.azimuth((-20 / width) * drag.dx * MOTION_FACTOR);
    // The page's y grows downwards, VTK's display y upwards.
    camera.elevation((-20 / height) * -drag.dy * MOTION_FACTOR);
    camera.orthogonalizeViewUp();
  } else if (drag.mode === 'zoom') {
    camera.dolly(1.1 ** ((MOTION_FACTOR * -drag.dy) / (height / 2)));
  } else {
    pan(camera, drag.dx, drag.dy, height);
  }
}

/** The wheel as vtk.js turns it: a notch (deltaY 100, one spin) dollies by e^(-1/10), towards the focal point. */
export function wheelCamera(camera: Camera, deltaY: number): void {
  camera.dolly(Math.exp(-deltaY / 1000));
}

/** Moves focal point and eye together so the point under the cursor follows it (at the focal plane). */
function pan(camera: Camera, dx: number, dy: number, height: number): void {
  const position = camera.getPosition();
  const focal = camera.getFocalPoint();
  const distance = Math.hypot(position[0] - focal[0], position[1] - focal[1], position[2] - focal[2]);
  const mmPerPixel = (2 * distance * Math.tan((camera.getViewAngle() * Math.PI) / 360)) / height;
  const up = camera.getViewUp();
  const forward = camera.getDirectionOfProjection();
  const right = [forward[1] * up[2] - forward[2] * up[1], forward[2] * up[0] - forward[0] * up[2], forward[0] * up[1] - forward[1] * up[0]];
  const shift = [0, 1, 2].map((i) => (-dx * right[i]! + dy * up[i]!) * mmPerPixel);
  camera.setFocalPoint(focal[0] + shift[0]!, focal[1] + shift[1]!, focal[2] + shift[2]!);
  camera.setPosition(position[0] + shift[0]!, position[1] + shift[1]!, position[2] + shift[2]!);
}
