import type { SurfaceMeshMessage } from './surface-protocol.js';

export interface ColouredSurface extends SurfaceMeshMessage {
  /** RGB 0..255. */
  color: [number, number, number];
}

/** A surface to show: its mesh, or null to keep the one the worker holds for this label (only its colour changes). */
export interface ShownSurface {
  value: number;
  color: [number, number, number];
  mesh: SurfaceMeshMessage | null;
}

/** A drag in the 3D view, in device pixels since the last one (y down, as the page reports it). */
export type CameraDrag = { mode: 'rotate' | 'pan' | 'zoom'; dx: number; dy: number };

/**
 * What the page asks of the render worker. Every request that changes the picture carries an id; the worker
 * answers with the newest id it has drawn, so the page knows when what it asked for is on the screen.
 */
export type SceneRequest =
  | { type: 'init'; canvas: OffscreenCanvas; width: number; height: number }
  | { type: 'resize'; id: number; width: number; height: number }
  | { type: 'surfaces'; id: number; surfaces: ShownSurface[] }
  | { type: 'opacity'; id: number; opacity: number }
  | { type: 'reset'; id: number }
  | { type: 'drag'; id: number; drag: CameraDrag }
  | { type: 'wheel'; id: number; deltaY: number };

/** Everything but the first message, which hands the canvas over. */
export type SceneChange = Exclude<SceneRequest, { type: 'init' }>;

export type SceneReply =
  | { type: 'drawn'; id: number; /** Time the worker spent on the requests and the drawing since its last answer. */ ms: number }
  | { type: 'error'; message: string };
