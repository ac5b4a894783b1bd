export { checkRun, damageWarning } from './run-check.js';
export type { CheckReport, CheckRunOptions } from './run-check.js';
export type { CheckProblem, CheckProgress } from './problems.js';
export { PROBLEM } from './problems.js';
export { CheckRunNotFoundError, RepairUnsupportedError } from './errors.js';
export { readLedger, writeLedger } from './ledger.js';
export type { RepairLedger } from './ledger.js';
