// The public surface of jarvix as a library. Internals stay internal.
export { JarvixError, InvalidOptionError, UnknownOptionError } from './errors/index.js';
export { VERSION } from './version.js';
export { runPaths } from './run/index.js';
export type { RunPaths } from './run/index.js';
export { createAgent, parseResolveRule, PrivateAddressError } from './net/index.js';
export type { JarvixAgent, NetOptions, ResolveRule } from './net/index.js';
