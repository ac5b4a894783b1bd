// The public surface of jarvix as a library. Internals stay internal.
export { JarvixError, InvalidOptionError, UnknownOptionError } from './errors/index.js';
export { VERSION } from './version.js';
export { runPaths } from './run/index.js';
export type { RunPaths, RunManifest } from './run/index.js';
export { createAgent, parseResolveRule, PrivateAddressError } from './net/index.js';
export type { JarvixAgent, NetOptions, ResolveRule } from './net/index.js';

// Collect: the crawler, and the pieces it is made of.
export { Collector } from './collect/collector.js';
export type { CollectSummary } from './collect/collector.js';
export type { CollectOptions } from './collect/options.js';
export { SqliteFrontier, RedisFrontier, FrontierError, RedisFrontierError } from './frontier/index.js';
export type { Frontier, FrontierAdd, LeasedUrl, HostPolicy, CheckpointRecord, FrontierCounts, RedisFrontierOptions } from './frontier/index.js';
export { createFetcher, retryDecision, HostHealth } from './fetch/index.js';
export type { Fetcher, FetchResult, FetchError } from './fetch/index.js';
export { AutoscaledPool } from './pool/index.js';
export { normalizeUrl, registeredDomain, buildUserAgent, UrlError } from './url/index.js';
export { readUrlLines, isInputProblem } from './input/index.js';
export type { InputLine, InputProblem } from './input/index.js';
export { parseRobots, isAllowed, crawlDelayMs, RobotsCache } from './robots/index.js';
export { PolicyGate } from './policy/index.js';

// Archive and dataset.
export { WarcWriter, WarcReader, readWarc, readRecordAt, verifyWarc, repairWarcs, RunIndex } from './warc/index.js';
export type { WarcLocation, WarcRecord } from './warc/index.js';
export { DatasetWriter, recoverShards, compactShards, scanTable, TABLE_COLUMNS } from './dataset/index.js';
export type { PageRow, LinkRow, ChunkRow, ErrorRow, TableName } from './dataset/index.js';
export { openRunDatabase, RunDatabase, QueryError } from './query/index.js';
export type { RunDatabaseOptions } from './query/index.js';
export { RunSearcher, searchRun, searchHttp, rebuildRunIndex, parseQuery, SearchQueryError } from './search/index.js';
export type { SearchHit, SearchResponse, SearchOptions } from './search/index.js';

// Extraction, chunking, scoring.
export { StagePool, analysePage } from './stages/index.js';
export type { StageResult } from './stages/index.js';
export { createScorer, loadProfile, DEFAULT_PROFILE } from './score/index.js';
export type { ScoringProfile } from './score/index.js';
export { chunkText } from './chunk/index.js';

// The synthetic web, for tests and demos of code built on jarvix.
export { startTestWeb, seedUrlStream } from './testweb/index.js';
export type { TestWeb, TestWebInput, UrlTruth } from './testweb/index.js';
