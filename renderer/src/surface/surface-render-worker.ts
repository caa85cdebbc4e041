/// <reference lib="webworker" />
import '@kitware/vtk.js/Rendering/Profiles/Geometry';
import vtkDataArray from '@kitware/vtk.js/Common/Core/DataArray';
import vtkPolyData from '@kitware/vtk.js/Common/DataModel/PolyData';
import vtkActor from '@kitware/vtk.js/Rendering/Core/Actor';
import vtkMapper from '@kitware/vtk.js/Rendering/Core/Mapper';
import vtkRenderWindow from '@kitware/vtk.js/Rendering/Core/RenderWindow';
import vtkRenderer from '@kitware/vtk.js/Rendering/Core/Renderer';
import vtkOpenGLRenderWindow from '@kitware/vtk.js/Rendering/OpenGL/RenderWindow';
import { moveCamera, wheelCamera } from './camera-moves.js';
import type { SceneChange, SceneReply, SceneRequest, ShownSurface } from './scene-protocol.js';
import type { SurfaceMeshMessage } from './surface-protocol.js';

/**
 * Draws the 3D view off the page's thread: vtk.js renders with WebGL2 into the canvas the page handed over
 * (OffscreenCanvas), so packing and uploading hundreds of thousands of triangles, and each redraw in software
 * WebGL, never hold up the page's frames. Requests are applied as they come; drawing waits for the next animation
 * frame, so a burst of drags draws once. Points are physical LPS millimetres, so the camera looks at the patient
 * from the front (from -y, anterior) with superior (+z) up, as Slicer and ITK-SNAP open their 3D view.
 */
declare const self: DedicatedWorkerGlobalScope;

// vtk.js's OpenGL window makes an <img> for an optional background image when it is created; a worker has no
// Image, and the view never shows a background image, so an inert stand-in is enough.
if (typeof (self as { Image?: unknown }).Image === 'undefined')
  (self as unknown as { Image: unknown }).Image = class {
    style = {};
  };

type Actor = ReturnType<typeof vtkActor.newInstance>;

let scene: Scene | null = null;
self.onmessage = (event: MessageEvent<SceneRequest>) => {
  const request = event.data;
  try {
    if (request.type === 'init') scene = new Scene(request.canvas, request.width, request.height);
    else scene?.apply(request);
  } catch (err) {
    reply({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};

function reply(message: SceneReply): void {
  self.postMessage(message);
}

class Scene {
  private readonly window = vtkRenderWindow.newInstance();
  private readonly renderer = vtkRenderer.newInstance({ background: [0.04, 0.05, 0.07] });
  private readonly gl: ReturnType<typeof vtkOpenGLRenderWindow.newInstance>;
  private readonly actors = new Map<number, Actor>();
  private opacity = 1;
  private framed = false;
  private size: [number, number];
  /** The newest request id applied and not yet drawn, and the worker time spent since the last drawing. */
  private pending: number | null = null;
  private busyMs = 0;

  constructor(
    private readonly canvas: OffscreenCanvas,
    width: number,
    height: number,
  ) {
    // vtk.js asks the canvas for its context later; asked first, the canvas keeps these options.
    canvas.getContext('webgl2', { antialias: !softwareRendering(), depth: true, alpha: true, powerPreference: 'high-performance' });
    this.gl = vtkOpenGLRenderWindow.newInstance({ canvas, manageCanvas: false } as never);
    this.window.addRenderer(this.renderer);
    this.window.addView(this.gl);
    this.renderer.setUseDepthPeeling(true);
    this.size = [width, height];
    this.resize(width, height);
  }

  apply(request: SceneChange): void {
    const start = performance.now();
    if (request.type === 'resize') this.resize(request.width, request.height);
    else if (request.type === 'surfaces') this.setSurfaces(request.surfaces);
    else if (request.type === 'opacity') this.setOpacity(request.opacity);
    else if (request.type === 'reset') this.resetCamera();
    else if (request.type === 'drag') moveCamera(this.renderer.getActiveCamera(), request.drag, this.size);
    else wheelCamera(this.renderer.getActiveCamera(), request.deltaY);
    if (request.type === 'drag' || request.type === 'wheel') this.renderer.resetCameraClippingRange();
    this.busyMs += performance.now() - start;
    if (this.pending === null) requestAnimationFrame(() => this.draw());
    this.pending = request.id;
  }

  private draw(): void {
    const start = performance.now();
    this.window.render();
    const id = this.pending!;
    const ms = this.busyMs + performance.now() - start;
    this.pending = null;
    this.busyMs = 0;
    // The picture reaches the screen when this frame is committed, after this callback: answer at the next one.
    requestAnimationFrame(() => reply({ type: 'drawn', id, ms }));
  }

  private resize(width: number, height: number): void {
    this.size = [Math.max(1, width), Math.max(1, height)];
    this.canvas.width = this.size[0];
    this.canvas.height = this.size[1];
    this.gl.setSize(this.size[0], this.size[1]);
  }

  private setSurfaces(surfaces: readonly ShownSurface[]): void {
    const kept = new Set(surfaces.map((s) => s.value));
    for (const [value, actor] of this.actors) {
      if (kept.has(value)) continue;
      this.renderer.removeActor(actor);
      this.actors.delete(value);
    }
    for (const s of surfaces) {
      let actor = this.actors.get(s.value);
      if (!actor) {
        actor = vtkActor.newInstance();
        actor.setMapper(vtkMapper.newInstance());
        this.renderer.addActor(actor);
        this.actors.set(s.value, actor);
      }
      if (s.mesh) (actor.getMapper() as ReturnType<typeof vtkMapper.newInstance>).setInputData(polyData(s.mesh));
      const property = actor.getProperty();
      property.setColor(s.color[0] / 255, s.color[1] / 255, s.color[2] / 255);
      property.setOpacity(this.opacity);
    }
    // The camera is framed on the first non-empty set, then left where the user put it.
    if (!this.framed && surfaces.length > 0) {
      this.resetCamera();
      this.framed = true;
    }
  }

  private setOpacity(opacity: number): void {
    this.opacity = opacity;
    for (const actor of this.actors.values()) actor.getProperty().setOpacity(opacity);
  }

  /** Front view of everything shown, filling the window. */
  private resetCamera(): void {
    const camera = this.renderer.getActiveCamera();
    camera.setFocalPoint(0, 0, 0);
    camera.setPosition(0, -1, 0);
    camera.setViewUp(0, 0, 1);
    this.renderer.resetCamera();
  }
}

/**
 * Whether WebGL runs on the CPU (SwiftShader, llvmpipe), as in headless or GPU-less browsers. There, multisampling
 * tripled the time a 400k-triangle surface took to reach the screen (0.4 s without against 1.4-2.1 s with), so the
 * view draws without it; a GPU smooths its edges.
 */
function softwareRendering(): boolean {
  const probe = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!probe) return true;
  const info = probe.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(probe.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : probe.RENDERER));
  probe.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|software/i.test(renderer);
}

function polyData(s: SurfaceMeshMessage) {
  const data = vtkPolyData.newInstance();
  data.getPoints().setData(s.points, 3);
  data.getPolys().setData(s.polys);
  data.getPointData().setNormals(vtkDataArray.newInstance({ name: 'Normals', numberOfComponents: 3, values: s.normals }));
  return data;
}
