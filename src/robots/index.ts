export { parseRobots, MAX_ROBOTS_BYTES } from './parse.js';
export type { ParsedRobots, RobotsGroup, RobotsRule } from './parse.js';
export { isAllowed, crawlDelayMs } from './match.js';
export { RobotsCache } from './robots-cache.js';
export type { RobotsCacheOptions, RobotsFetchResult, RobotsVerdict } from './robots-cache.js';
