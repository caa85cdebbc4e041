/**
 * THE contract between the engine and any user interface (Electron IPC, `universeg serve` over HTTP, the tests).
 * Pure: zod only, no Node, no DOM; the renderer imports nothing else from core/. The HTTP framing (codec.ts), the
 * label palette and the statistics CSV are imported by file, so a page that needs only them does not bundle zod.
 */
export * from './schemas.js';
export * from './batch.js';
export * from './volume-transfer.js';
export * from './methods.js';
export * from './events.js';
export * from './errors.js';
export * from './defaults.js';
export * from './terminology.js';
