export { runPaths } from './run-paths.js';
export type { RunPaths } from './run-paths.js';
