export { resolveOptions, is } from './resolve.js';
export type { Check, Checks } from './resolve.js';
