export { runPaths } from './run-paths.js';
export type { RunPaths } from './run-paths.js';
export { readManifest, writeManifest, newManifest, startSession, ManifestError } from './manifest.js';
export type { RunManifest } from './manifest.js';
