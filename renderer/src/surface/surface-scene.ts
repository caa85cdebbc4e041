import type { CameraDrag, ColouredSurface, SceneChange, SceneReply, SceneRequest, ShownSurface } from './scene-protocol.js';

export type { ColouredSurface } from './scene-protocol.js';

type Waiter = { id: number; resolve: (ms: number) => void; reject: (err: Error) => void };

/**
 * The page's side of the 3D view: a canvas whose drawing is handed to a worker (surface-render-worker.ts), which
 * renders with vtk.js. The page forwards size changes and the mouse: left drag rotates, right drag or the wheel
 * zooms, middle or shift drag pans. Every change resolves once the worker has drawn it, and `onDrawing` hears whether
 * the screen is behind what was asked.
 */
export class SurfaceScene {
  private readonly worker = new Worker(new URL('./surface-render-worker.ts', import.meta.url), { type: 'module' });
  private readonly canvas = document.createElement('canvas');
  private readonly resizes: ResizeObserver;
  private readonly waiters: Waiter[] = [];
  private next = 0;
  private drawn = 0;
  /** The key of the mesh the worker holds for each label. */
  private meshKeys = new Map<number, string>();
  private drag: { mode: CameraDrag['mode']; x: number; y: number } | null = null;

  /** `onDrawing` hears whenever the worker falls behind the page's requests (true) or catches up (false). */
  constructor(
    private readonly container: HTMLElement,
    private readonly onDrawing: (drawing: boolean) => void = () => {},
  ) {
    this.canvas.style.width = this.canvas.style.height = '100%';
    this.canvas.style.display = 'block';
    container.appendChild(this.canvas);
    const [width, height] = this.pixelSize();
    const offscreen = this.canvas.transferControlToOffscreen();
    this.worker.postMessage({ type: 'init', canvas: offscreen, width, height } satisfies SceneRequest, [offscreen]);
    this.worker.onmessage = (event: MessageEvent<SceneReply>) => this.receive(event.data);
    this.worker.onerror = (event) => this.fail(new Error(event.message || 'the 3D view could not start drawing'));
    this.resizes = new ResizeObserver(() => {
      const [w, h] = this.pixelSize();
      this.post({ type: 'resize', id: 0, width: w, height: h });
    });
    this.resizes.observe(container);
    this.listen();
  }

  /**
   * Shows these surfaces instead of the last ones. A mesh the worker already holds (same key) is not sent again:
   * handing a mesh to WebGL is the costly part of showing it. New meshes' arrays are handed over, not copied.
   */
  setSurfaces(surfaces: ColouredSurface[]): Promise<number> {
    const shown: ShownSurface[] = surfaces.map(({ color, ...mesh }) => ({
      value: mesh.value,
      color,
      mesh: this.meshKeys.get(mesh.value) === mesh.key ? null : mesh,
    }));
    this.meshKeys = new Map(surfaces.map((s) => [s.value, s.key]));
    const buffers = shown.flatMap((s) => (s.mesh ? [s.mesh.points.buffer, s.mesh.normals.buffer, s.mesh.polys.buffer] : []));
    return this.drawnAfter(this.post({ type: 'surfaces', id: 0, surfaces: shown }, buffers as ArrayBuffer[]));
  }

  setOpacity(opacity: number): Promise<number> {
    return this.drawnAfter(this.post({ type: 'opacity', id: 0, opacity }));
  }

  /** Front view of everything shown, filling the window. */
  resetCamera(): Promise<number> {
    return this.drawnAfter(this.post({ type: 'reset', id: 0 }));
  }

  dispose(): void {
    this.resizes.disconnect();
    this.worker.terminate();
    this.canvas.remove();
    // Nobody waits for a closed view's pictures.
    this.waiters.length = 0;
  }

  private post(change: SceneChange, transfer: Transferable[] = []): number {
    const id = ++this.next;
    this.worker.postMessage({ ...change, id }, transfer);
    this.onDrawing(true);
    return id;
  }

  /** Resolves with the worker's time for change `id` (and any it drew with it) once it is on the screen. */
  private drawnAfter(id: number): Promise<number> {
    return new Promise<number>((resolve, reject) => this.waiters.push({ id, resolve, reject }));
  }

  private receive(message: SceneReply): void {
    if (message.type === 'error') return this.fail(new Error(message.message));
    this.drawn = Math.max(this.drawn, message.id);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i]!.id > this.drawn) continue;
      this.waiters[i]!.resolve(message.ms);
      this.waiters.splice(i, 1);
    }
    this.onDrawing(this.drawn < this.next);
  }

  private fail(err: Error): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(err);
  }

  private pixelSize(): [number, number] {
    const { width, height } = this.container.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    return [Math.floor(width * ratio), Math.floor(height * ratio)];
  }

  private listen(): void {
    const canvas = this.canvas;
    canvas.addEventListener('contextmenu', (e) => e.preventDefault());
    canvas.addEventListener('pointerdown', (e) => {
      const mode = e.button === 2 ? 'zoom' : e.button === 1 || e.shiftKey ? 'pan' : 'rotate';
      this.drag = { mode, x: e.clientX, y: e.clientY };
      canvas.setPointerCapture(e.pointerId);
      e.preventDefault();
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.drag) return;
      const ratio = window.devicePixelRatio || 1;
      const drag = { mode: this.drag.mode, dx: (e.clientX - this.drag.x) * ratio, dy: (e.clientY - this.drag.y) * ratio };
      this.drag.x = e.clientX;
      this.drag.y = e.clientY;
      this.post({ type: 'drag', id: 0, drag });
    });
    const release = () => (this.drag = null);
    canvas.addEventListener('pointerup', release);
    canvas.addEventListener('pointercancel', release);
    canvas.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        this.post({ type: 'wheel', id: 0, deltaY: e.deltaY });
      },
      { passive: false },
    );
  }
}
