// The public surface of jarvix as a library: what the commands do, callable from TypeScript, and
// the types their results carry. The README's "As a library" section documents it. Everything else
// (frontier internals, recovery, the pool, the stage workers, policy pieces) stays internal so it can
// change without breaking callers; reach it through the commands instead.
export { JarvixError, InvalidOptionError, UnknownOptionError } from './errors/index.js';
export { VERSION } from './version.js';
export { runPaths } from './run/index.js';
export type { RunPaths, RunManifest } from './run/index.js';

// collect: the crawler (`jarvix collect`), with the frontier contract it runs on.
export { Collector } from './collect/collector.js';
export type { CollectSummary } from './collect/collector.js';
export type { CollectOptions } from './collect/options.js';
export type { Frontier } from './frontier/index.js';

// curate / score / report / query: working on a run folder.
export { curateRun, scoreRun } from './curate/index.js';
export type { CurateSummary, ScoreSummary, CurateOptions, ScoreRunOptions } from './curate/index.js';
export { generateReports } from './report/index.js';
export type { ReportOptions, ReportFiles } from './report/index.js';
export { openRunDatabase, RunDatabase, QueryError } from './query/index.js';
export type { RunDatabaseOptions } from './query/index.js';
export { RunSearcher, searchRun, searchHttp, rebuildRunIndex, parseQuery, SearchQueryError } from './search/index.js';
export type { SearchHit, SearchResponse, SearchOptions } from './search/index.js';

// Reading the archive and the dataset.
export { WarcReader, readWarc, readRecordAt, verifyWarc, RunIndex } from './warc/index.js';
export type { WarcRecord, WarcProblem } from './warc/index.js';
export { scanTable, TABLE_COLUMNS } from './dataset/index.js';
export type { PageRow, LinkRow, ChunkRow, ErrorRow, TableName } from './dataset/index.js';

// Pieces useful on their own.
export { normalizeUrl, registeredDomain } from './url/index.js';
export { readUrlLines } from './input/index.js';
export type { InputLine, InputProblem } from './input/index.js';
export { parseRobots, isAllowed } from './robots/index.js';
export { createScorer, loadProfile, DEFAULT_PROFILE } from './score/index.js';
export type { ScoringProfile } from './score/index.js';
export { chunkText } from './chunk/index.js';

// The synthetic web, for tests and demos of code built on jarvix.
export { startTestWeb, seedUrlStream } from './testweb/index.js';
export type { TestWeb, TestWebInput, UrlTruth } from './testweb/index.js';
