// The archive server: replay, CDX and Memento APIs, timeline, diff and WACZ files, over the
// capture index of src/replay. Routes are small modules registered on a prefix router.
export { startServer, DEFAULT_ROUTES } from './server.js';
export type { RouteModule, RunningServer } from './server.js';
export { openArchive } from './open-archive.js';
export type { OpenArchiveOptions } from './open-archive.js';
export { Router } from './router.js';
export type { Handler, RouteContext } from './router.js';
export type { ServeContext } from './context.js';
export { resolveServeOptions, isLoopback } from './options.js';
export type { ServeOptions } from './options.js';
export { ServeError, RouteNotFoundError, PathTraversalError, RangeNotSatisfiableError, NotLoopbackError, MethodNotAllowedError } from './errors.js';
