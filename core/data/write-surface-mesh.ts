import fs from 'node:fs/promises';
import path from 'node:path';
import { writeMeshNode } from '@itk-wasm/mesh-io';
import { FloatTypes, IntTypes, Mesh, MeshType, PixelTypes } from 'itk-wasm';
import { ioError } from '../util/io-error.js';
import { withItk } from './itk-io.js';
import { tempFolderPrefix } from '../util/temp-files.js';
import { writeFileAtomic } from '../util/write-file-atomic.js';

export type MeshFormat = 'stl' | 'obj' | 'vtk';
export const MESH_FORMATS: readonly MeshFormat[] = ['stl', 'obj', 'vtk'];

/** ITK's cell type number of a triangle (itk::CellGeometryEnum::TRIANGLE_CELL). */
const TRIANGLE_CELL = 2;

/** The mesh format a file name asks for, or null. */
export function meshFormatOf(file: string): MeshFormat | null {
  const ext = path.extname(file).slice(1).toLowerCase();
  return (MESH_FORMATS as readonly string[]).includes(ext) ? (ext as MeshFormat) : null;
}

/**
 * Writes a triangle mesh with itk-wasm's mesh-io: STL (binary), OBJ or legacy VTK polydata by extension.
 * Coordinates are written as given; the engine's are physical LPS millimetres, which is what ITK means by
 * physical space and what 3D Slicer assumes for STL, OBJ and VTK files that do not say otherwise. Written
 * atomically (mesh-io writes only to a path, so through a private temporary folder); never over `protect`.
 */
export async function writeSurfaceMesh(
  file: string,
  mesh: { points: Float32Array; triangles: Uint32Array },
  protect: readonly string[] = [],
): Promise<MeshFormat> {
  const target = path.resolve(file);
  const format = meshFormatOf(target);
  if (!format) throw ioError(target, `write a surface as ${MESH_FORMATS.map((f) => `.${f}`).join(', ')}`);
  if (mesh.triangles.length === 0) throw ioError(target, 'the surface is empty: the label has no voxels');
  const itkMesh = new Mesh(
    new MeshType(
      3,
      FloatTypes.Float32,
      FloatTypes.Float32,
      PixelTypes.Scalar,
      1,
      IntTypes.UInt32,
      FloatTypes.Float32,
      PixelTypes.Scalar,
      1,
    ),
  );
  itkMesh.numberOfPoints = mesh.points.length / 3;
  itkMesh.points = mesh.points;
  const count = mesh.triangles.length / 3;
  const cells = new Uint32Array(count * 5);
  for (let t = 0; t < count; t++)
    cells.set([TRIANGLE_CELL, 3, mesh.triangles[3 * t]!, mesh.triangles[3 * t + 1]!, mesh.triangles[3 * t + 2]!], 5 * t);
  itkMesh.numberOfCells = count;
  itkMesh.cells = cells;
  itkMesh.cellBufferSize = cells.length;
  const dir = await fs.mkdtemp(tempFolderPrefix('encode'));
  try {
    const out = path.join(dir, `surface.${format}`);
    await withItk(() => writeMeshNode(itkMesh, out, { binaryFileType: format === 'stl' }));
    await writeFileAtomic(target, new Uint8Array(await fs.readFile(out)), { protect });
    return format;
  } catch (err) {
    throw ioError(target, err);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
