declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

// vtk.js ships no types for these two (used by surface/piece-mapper.ts).
declare module '@kitware/vtk.js/Rendering/OpenGL/PolyDataMapper' {
  export function extend(publicAPI: object, model: object, initialValues?: object): void;
}
declare module '@kitware/vtk.js/Rendering/OpenGL/ViewNodeFactory' {
  export function registerOverride(className: string, constructor: (initialValues?: object) => unknown): void;
}
