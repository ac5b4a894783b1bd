export { PolicyGate } from './policy-gate.js';
export type { PolicyOptions, PolicyVerdict } from './policy-gate.js';
export { PolicyError } from './policy-error.js';
export { DEFAULT_BLOCKED_PATHS } from './blocked-paths.js';
export { resolveBlockedPaths } from './blocked-paths-file.js';
