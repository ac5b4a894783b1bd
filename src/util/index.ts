// Small general pieces written once: the bounded map and bounded concurrency (mapOrdered: an
// ordered stream with at most `limit` calls in flight).
export { LruMap } from './lru-map.js';
export { mapOrdered, flatten } from './map-ordered.js';
