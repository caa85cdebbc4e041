import '@kitware/vtk.js/Rendering/Profiles/Geometry';
import vtkDataArray from '@kitware/vtk.js/Common/Core/DataArray';
import vtkPolyData from '@kitware/vtk.js/Common/DataModel/PolyData';
import vtkActor from '@kitware/vtk.js/Rendering/Core/Actor';
import vtkGenericRenderWindow from '@kitware/vtk.js/Rendering/Misc/GenericRenderWindow';
import vtkRenderPass from '@kitware/vtk.js/Rendering/SceneGraph/RenderPass';
import { newPieceMapper, type OpenGLPieceMapper } from './piece-mapper.js';
import { SurfaceHandOver, type ColouredSurface, type PieceSink } from './surface-handover.js';
import type { SurfacePiece } from './surface-protocol.js';

export type { ColouredSurface } from './surface-handover.js';

type Actor = ReturnType<typeof vtkActor.newInstance>;

/**
 * A vtk.js WebGL render window in a container: label surfaces as actors (a few per label: the pieces the worker
 * cut them into, handed over across animation frames by SurfaceHandOver), trackball rotation (left drag), zoom
 * (wheel, right drag), pan (middle or shift drag). Points are physical LPS millimetres, so the camera looks at the
 * patient from the front (from -y, anterior) with superior (+z) up, as Slicer and ITK-SNAP open their 3D view.
 */
export class SurfaceScene {
  private readonly window = withDrawingBufferKept(() =>
    vtkGenericRenderWindow.newInstance({ background: [0.04, 0.05, 0.07], listenWindowResize: false }),
  );
  private readonly resizes = new ResizeObserver(() => this.window.resize());
  private readonly handOver: SurfaceHandOver<Actor>;
  private readonly buildPass = vtkRenderPass.newInstance();
  private opacity = 1;
  private framed = false;
  /** The bounds the camera's clipping range was last fitted to. */
  private clipBounds: number[] | null = null;
  /** The camera and canvas size of the last full render: what the picture on screen was drawn with. */
  private picture: { camera: number; size: string } | null = null;

  /**
   * A triangle that the first render draws (and the same task draws the scene again without it), meant to have
   * WebGL compile the surfaces' shaders before the first hand-over. Unproven: the first hand-over frame is still
   * the longest (146-216 ms against 50-120 ms for the others, on a loaded machine; README).
   */
  private warmUp: Actor | null = vtkActor.newInstance();

  constructor(container: HTMLElement) {
    this.window.setContainer(container);
    this.window.getRenderer().setUseDepthPeeling(true);
    this.resizes.observe(container);
    this.buildPass.setCurrentOperation('buildPass');
    const renderer = this.window.getRenderer();
    const sink: PieceSink<Actor> = {
      stage: (piece, color) => {
        const actor = vtkActor.newInstance();
        const mapper = newPieceMapper();
        mapper.setInputData(polyData(piece));
        actor.setMapper(mapper);
        actor.setVisibility(false);
        paint(actor, color, this.opacity);
        renderer.addActor(actor);
        return actor;
      },
      upload: (actors) => this.upload(actors),
      drawOver: (actors) => this.drawOver(actors),
      show: (actors) => actors.forEach((actor) => actor.setVisibility(true)),
      drop: (actors) => actors.forEach((actor) => renderer.removeActor(actor)),
      recolour: (actors, color) => actors.forEach((actor) => paint(actor, color, this.opacity)),
      render: () => {
        // New surfaces may reach beyond the old ones: the clipping range follows what is shown.
        const shown = renderer.computeVisiblePropBounds();
        if (renderer.resetCameraClippingRange(shown)) this.clipBounds = [...shown];
        this.render();
      },
    };
    this.handOver = new SurfaceHandOver(sink);
    const triangle = newPieceMapper();
    triangle.setInputData(
      polyData({
        points: new Float32Array([-1, -1, 0, 1, -1, 0, 0, 1, 0]),
        normals: new Float32Array([0, 0, 1, 0, 0, 1, 0, 0, 1]),
        polys: new Uint32Array([3, 0, 1, 2]),
      }),
    );
    this.warmUp!.setMapper(triangle);
    renderer.addActor(this.warmUp!);
  }

  /**
   * Shows these surfaces instead of the last ones, a few pieces per animation frame; resolves true once all are
   * shown, false when a newer call overtook it. The camera is framed on the first non-empty set.
   */
  setSurfaces(surfaces: readonly ColouredSurface[]): Promise<boolean> {
    if (!this.framed && surfaces.length > 0) {
      const all = [Infinity, -Infinity, Infinity, -Infinity, Infinity, -Infinity];
      for (const s of surfaces)
        for (let a = 0; a < 6; a++) all[a] = a % 2 ? Math.max(all[a]!, s.bounds[a]!) : Math.min(all[a]!, s.bounds[a]!);
      this.frameOn(all);
      this.framed = true;
      // The picture on screen is drawn with this camera from now on (nothing is shown yet: a quick render).
      this.render();
    }
    return this.handOver.show(surfaces);
  }

  /** Triangles in the actors shown, counted in vtk.js's own data (a lost or stale piece would change it). */
  shownTriangles(): number {
    let n = 0;
    for (const actor of this.window.getRenderer().getActors() as Actor[])
      if (actor.getVisibility() && actor !== this.warmUp)
        n += (actor.getMapper()?.getInputData() as ReturnType<typeof vtkPolyData.newInstance> | null)?.getPolys().getNumberOfCells() ?? 0;
    return n;
  }

  setOpacity(opacity: number): void {
    this.opacity = opacity;
    for (const actor of this.handOver.actors()) actor.getProperty().setOpacity(opacity);
    this.render();
  }

  /** Front view of everything shown, filling the window. */
  resetCamera(): void {
    this.frameOn(null);
    this.render();
  }

  render(): void {
    this.window.getRenderWindow().render();
    if (this.warmUp) {
      // Drawn once (a triangle facing the default camera) and gone from the picture before it is shown.
      this.window.getRenderer().removeActor(this.warmUp);
      this.warmUp = null;
      this.window.getRenderWindow().render();
    }
    this.picture = this.pictureNow();
  }

  dispose(): void {
    this.handOver.cancel();
    this.resizes.disconnect();
    this.window.delete();
  }

  /** Packs and uploads hidden actors' WebGL buffers now, drawing nothing (piece-mapper.ts). */
  private upload(actors: readonly Actor[]): void {
    if (actors.length === 0) return;
    const view = this.window.getApiSpecificRenderWindow();
    // The view nodes (one per actor and mapper) come from a build pass, the first step of every render.
    view.traverse(this.buildPass);
    for (const actor of actors) (view.getViewNodeFor(actor.getMapper()) as OpenGLPieceMapper | undefined)?.uploadOnly();
  }

  /**
   * Draws only these hidden actors over the picture on screen, which stays (no clear of colour or depth, so they
   * hide behind what is in front of them), and shows them from now on. Only where that gives what a full render
   * would: the camera and canvas as at the last full render, opaque surfaces, and the actors within the depth
   * range the camera's clipping planes were fitted to; false otherwise (nothing drawn).
   */
  private drawOver(actors: readonly Actor[]): boolean {
    const renderer = this.window.getRenderer();
    const picture = this.pictureNow();
    const within = (b: number[]) =>
      this.clipBounds !== null && [0, 2, 4].every((a) => b[a]! >= this.clipBounds![a]! && b[a + 1]! <= this.clipBounds![a + 1]!);
    if (
      this.opacity < 1 ||
      !this.picture ||
      this.picture.camera !== picture.camera ||
      this.picture.size !== picture.size ||
      !actors.every((a) => within(a.getBounds()))
    )
      return false;
    const others = renderer.getActors().filter((a) => a.getVisibility());
    others.forEach((a) => a.setVisibility(false));
    actors.forEach((a) => a.setVisibility(true));
    renderer.setPreserveColorBuffer(true);
    renderer.setPreserveDepthBuffer(true);
    try {
      this.window.getRenderWindow().render();
    } finally {
      renderer.setPreserveColorBuffer(false);
      renderer.setPreserveDepthBuffer(false);
      others.forEach((a) => a.setVisibility(true));
    }
    this.picture = this.pictureNow();
    return true;
  }

  private pictureNow(): { camera: number; size: string } {
    const camera = this.window.getRenderer().getActiveCamera().getMTime();
    return { camera, size: this.window.getApiSpecificRenderWindow().getSize().join('x') };
  }

  /** Front view of these bounds (of the shown actors when null). */
  private frameOn(bounds: number[] | null): void {
    const renderer = this.window.getRenderer();
    const camera = renderer.getActiveCamera();
    camera.setFocalPoint(0, 0, 0);
    camera.setPosition(0, -1, 0);
    camera.setViewUp(0, 0, 1);
    const fitted = bounds ?? renderer.computeVisiblePropBounds();
    if (renderer.resetCamera(fitted as Parameters<typeof renderer.resetCamera>[0])) this.clipBounds = [...fitted];
  }
}

/**
 * Runs `create` (vtk.js making its render window, which asks its canvas for a WebGL2 context with fixed options)
 * with WebGL2 contexts made keeping their drawing buffer between frames, so that a hand-over can draw new pieces
 * over the picture on screen (drawOver) without redrawing it.
 */
function withDrawingBufferKept<T>(create: () => T): T {
  const prototype = HTMLCanvasElement.prototype as unknown as { getContext(type: string, options?: object): unknown };
  const getContext = prototype.getContext;
  prototype.getContext = function (this: HTMLCanvasElement, type: string, options?: object) {
    return getContext.call(this, type, type === 'webgl2' ? { ...options, preserveDrawingBuffer: true } : options);
  };
  try {
    return create();
  } finally {
    prototype.getContext = getContext;
  }
}

function paint(actor: Actor, color: [number, number, number], opacity: number): void {
  const property = actor.getProperty();
  property.setColor(color[0] / 255, color[1] / 255, color[2] / 255);
  property.setOpacity(opacity);
}

function polyData(s: SurfacePiece) {
  const data = vtkPolyData.newInstance();
  data.getPoints().setData(s.points, 3);
  data.getPolys().setData(s.polys);
  data.getPointData().setNormals(vtkDataArray.newInstance({ name: 'Normals', numberOfComponents: 3, values: s.normals }));
  return data;
}
