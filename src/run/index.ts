export { runPaths } from './run-paths.js';
export type { RunPaths } from './run-paths.js';
export { readManifest, writeManifest, newManifest, startSession, ManifestError } from './manifest.js';
export type { RunManifest } from './manifest.js';
export { lockRun, liveHolders, RunBusyError, LOCK_DIR } from './run-lock.js';
export type { RunLock, LockHolder, LockMode, LockOptions } from './run-lock.js';
