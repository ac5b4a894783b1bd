export { AutoscaledPool } from './autoscaled-pool.js';
export type { Constraint } from './autoscaled-pool.js';
export type { AutoscaledPoolOptions } from './pool-options.js';
export { Snapshotter, processSampleSource } from './snapshotter.js';
export type { Sample, SampleSource, ResourceReading } from './snapshotter.js';
export { SystemStatus } from './system-status.js';
export type { Judgement, OverloadReason, SystemStatusOptions } from './system-status.js';
