// Small general pieces written once: the bounded map and the two shapes of bounded concurrency
// (an ordered stream: mapOrdered; fire, then drain: BoundedTasks).
export { LruMap } from './lru-map.js';
export { mapOrdered, flatten } from './map-ordered.js';
export { BoundedTasks } from './bounded-tasks.js';
