// What other workspaces may use of the worker (the e2e harness, `npm start`): start it in-process with a config.
export { loadWorkerConfig, type WorkerConfig } from './config.js';
export { startWorker, type WorkerHandle, type WorkerTuning } from './start.js';
