import '@kitware/vtk.js/Rendering/Profiles/Geometry';
import vtkDataArray from '@kitware/vtk.js/Common/Core/DataArray';
import vtkPolyData from '@kitware/vtk.js/Common/DataModel/PolyData';
import vtkActor from '@kitware/vtk.js/Rendering/Core/Actor';
import vtkMapper from '@kitware/vtk.js/Rendering/Core/Mapper';
import vtkGenericRenderWindow from '@kitware/vtk.js/Rendering/Misc/GenericRenderWindow';
import type { SurfaceMeshMessage } from './surface-protocol.js';

export interface ColouredSurface extends SurfaceMeshMessage {
  /** RGB 0..255. */
  color: [number, number, number];
}

type Actor = ReturnType<typeof vtkActor.newInstance>;

/**
 * A vtk.js WebGL render window in a container: one actor per label surface, trackball rotation (left drag), zoom
 * (wheel, right drag), pan (middle or shift drag). Points are physical LPS millimetres, so the camera looks at the
 * patient from the front (from -y, anterior) with superior (+z) up, as Slicer and ITK-SNAP open their 3D view.
 */
export class SurfaceScene {
  private readonly window = vtkGenericRenderWindow.newInstance({ background: [0.04, 0.05, 0.07], listenWindowResize: false });
  private readonly actors = new Map<number, Actor>();
  private readonly resizes = new ResizeObserver(() => this.window.resize());
  private opacity = 1;
  private framed = false;

  constructor(container: HTMLElement) {
    this.window.setContainer(container);
    this.window.getRenderer().setUseDepthPeeling(true);
    this.resizes.observe(container);
  }

  /** Shows these surfaces instead of the last ones; the camera is framed on the first non-empty set. */
  setSurfaces(surfaces: readonly ColouredSurface[]): void {
    const renderer = this.window.getRenderer();
    const kept = new Set(surfaces.map((s) => s.value));
    for (const [value, actor] of this.actors) {
      if (kept.has(value)) continue;
      renderer.removeActor(actor);
      this.actors.delete(value);
    }
    for (const s of surfaces) {
      let actor = this.actors.get(s.value);
      if (!actor) {
        actor = vtkActor.newInstance();
        actor.setMapper(vtkMapper.newInstance());
        renderer.addActor(actor);
        this.actors.set(s.value, actor);
      }
      (actor.getMapper() as ReturnType<typeof vtkMapper.newInstance>).setInputData(polyData(s));
      const property = actor.getProperty();
      property.setColor(s.color[0] / 255, s.color[1] / 255, s.color[2] / 255);
      property.setOpacity(this.opacity);
    }
    if (!this.framed && surfaces.length > 0) {
      this.resetCamera();
      this.framed = true;
    } else {
      this.render();
    }
  }

  setOpacity(opacity: number): void {
    this.opacity = opacity;
    for (const actor of this.actors.values()) actor.getProperty().setOpacity(opacity);
    this.render();
  }

  /** Front view of everything shown, filling the window. */
  resetCamera(): void {
    const renderer = this.window.getRenderer();
    const camera = renderer.getActiveCamera();
    camera.setFocalPoint(0, 0, 0);
    camera.setPosition(0, -1, 0);
    camera.setViewUp(0, 0, 1);
    renderer.resetCamera();
    this.render();
  }

  render(): void {
    this.window.getRenderWindow().render();
  }

  dispose(): void {
    this.resizes.disconnect();
    this.window.delete();
  }
}

function polyData(s: SurfaceMeshMessage) {
  const data = vtkPolyData.newInstance();
  data.getPoints().setData(s.points, 3);
  data.getPolys().setData(s.polys);
  data.getPointData().setNormals(vtkDataArray.newInstance({ name: 'Normals', numberOfComponents: 3, values: s.normals }));
  return data;
}
