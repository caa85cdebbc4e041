/** The public library API of universeg-workstation. */
export { loadModel, Model, MAX_DEFAULT_SUPPORT } from './model/model.js';
export type { LogitsInput, PredictInput, PredictResult } from './model/model.js';
export type { DeviceRequest, Device, EngineOptions } from './model/session.js';
export { UNIVERSEG_V1, paramSpecs } from './model/config.js';
export type { ModelConfig } from './model/config.js';
export { readWeightsFile, writeWeightsFile } from './model/weights-file.js';
export { initialWeights } from './model/init.js';
export { convMacs } from './model/network.js';
export * from './data/index.js';
export * from './infer/index.js';
export { runTraining } from './train/run-training.js';
export type { TrainingRunOptions, TrainingEvent } from './train/run-training.js';
export { startJob } from './jobs/job-host.js';
export type { JobOutcome } from './jobs/job-protocol.js';
