import macro from '@kitware/vtk.js/macros';
import vtkMapper, { extend as extendMapper } from '@kitware/vtk.js/Rendering/Core/Mapper';
import { extend as extendOpenGLMapper } from '@kitware/vtk.js/Rendering/OpenGL/PolyDataMapper';
import { registerOverride } from '@kitware/vtk.js/Rendering/OpenGL/ViewNodeFactory';

/**
 * A vtk.js mapper whose WebGL buffers can be packed and uploaded without drawing: vtk.js does that for an actor
 * only inside a render that draws it, and a render redraws the whole scene, which in software WebGL costs as much
 * as handing all the surfaces over at once. Its OpenGL view node is vtk.js 37's OpenGL PolyDataMapper
 * (Rendering/OpenGL/PolyDataMapper: render() -> renderPiece() -> renderPieceStart() -> updateBufferObjects(),
 * then renderPieceDraw()), with the draw skipped while `uploadOnly` runs. A later render finds the buffers up to
 * date (showing the actor changes no input), so it only draws.
 */
export type PieceMapper = ReturnType<typeof vtkMapper.newInstance>;

const CLASS = 'vtkSurfacePieceMapper';

interface Model {
  classHierarchy: string[];
  uploadOnly?: boolean;
}

/** The view node's part this file drives. */
export interface OpenGLPieceMapper {
  uploadOnly(): void;
}

export const newPieceMapper: () => PieceMapper = macro.newInstance((publicAPI: object, model: object, initialValues = {}) => {
  extendMapper(publicAPI, model, initialValues);
  (model as Model).classHierarchy.push(CLASS);
}, CLASS);

registerOverride(
  CLASS,
  macro.newInstance((api: object, state: object, initialValues = {}) => {
    extendOpenGLMapper(api, state, initialValues);
    const publicAPI = api as Record<string, (...args: unknown[]) => void>;
    const model = state as Model;
    model.classHierarchy.push('vtkOpenGLSurfacePieceMapper');
    const draw = publicAPI.renderPieceDraw!;
    publicAPI.renderPieceDraw = (...args) => {
      if (!model.uploadOnly) draw(...args);
    };
    publicAPI.uploadOnly = () => {
      model.uploadOnly = true;
      try {
        publicAPI.render!();
      } finally {
        model.uploadOnly = false;
      }
    };
  }, 'vtkOpenGLSurfacePieceMapper'),
);
