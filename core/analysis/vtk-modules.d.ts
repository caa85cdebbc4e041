// vtk.js ships no type declarations for these two modules; only what label surfaces use is declared.
declare module '@kitware/vtk.js/Filters/General/ImageMarchingCubes/caseTable.js' {
  const caseTable: {
    /** Up to five triangles as edge numbers, -1 terminated, for a cube's inside/outside corner pattern. */
    getCase(index: number): readonly number[];
    /** The two corners (bit 0: +i, bit 1: +j, bit 2: +k) an edge joins. */
    getEdge(edge: number): readonly [number, number];
  };
  export default caseTable;
}

declare module '@kitware/vtk.js/Filters/General/WindowedSincPolyDataFilter.js' {
  interface vtkWindowedSincPolyDataFilter {
    setInputData(data: unknown): void;
    getOutputData(): { getPoints(): { getData(): ArrayLike<number> } };
  }
  const filter: {
    newInstance(initial?: {
      numberOfIterations?: number;
      passBand?: number;
      normalizeCoordinates?: number;
      boundarySmoothing?: number;
      nonManifoldSmoothing?: number;
      featureEdgeSmoothing?: number;
    }): vtkWindowedSincPolyDataFilter;
  };
  export default filter;
}
