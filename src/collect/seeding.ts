import type { Frontier, FrontierAdd } from '../frontier/types.js';
import { isInputProblem, readUrlLines, type InputProblem } from '../input/index.js';

export interface SeedingResult {
  lines: number;
  /** Lines that held a crawlable URL (new or already known); 0 with an input: nothing to crawl in it. */
  urls: number;
  added: number;
  /** Bad input lines, as `errors` rows (stage 'input'), only on a run's first seeding. */
  problems: { url: string; stage: string; error_code: string; message: string; attempts: number; time: Date }[];
}

const BATCH = 5_000;

/**
 * Streams the input into the frontier in batches: memory stays flat whatever the input size.
 * Adding is idempotent (the frontier dedups), so resuming a run re-reads its input safely.
 */
export async function seedFrontier(
  frontier: Frontier,
  input: string | undefined,
  options: { firstRun: boolean; runId: string; onProblem?: (p: InputProblem) => void },
): Promise<SeedingResult> {
  const result: SeedingResult = { lines: 0, urls: 0, added: 0, problems: [] };
  if (input === undefined) return result;
  const onProblem = (p: InputProblem): void => {
    process.stderr.write(`jarvix collect: ${input === '-' ? 'stdin' : input}:${p.lineNo}: ${p.message} [${p.code}]\n`);
    options.onProblem?.(p);
    // Bounded: a garbage file should not fill memory with error rows.
    if (options.firstRun && result.problems.length < 100_000) {
      result.problems.push({ url: p.text.slice(0, 2048), stage: 'input', error_code: p.code, message: `line ${p.lineNo}: ${p.message}`, attempts: 0, time: new Date() });
    }
  };
  let batch: FrontierAdd[] = [];
  let warnedCredentials = false;
  for await (const line of readUrlLines(input)) {
    result.lines++;
    if (isInputProblem(line)) {
      onProblem(line);
      continue;
    }
    result.urls++;
    if (line.credentialsRemoved && !warnedCredentials) {
      warnedCredentials = true;
      process.stderr.write(`jarvix collect: ${input === '-' ? 'stdin' : input}:${line.lineNo}: user:password@ removed from the URL (and from any other line): jarvix neither sends nor stores URL credentials\n`);
    }
    batch.push({ url: line.url, depth: 0 });
    if (batch.length >= BATCH) {
      result.added += await frontier.add(batch);
      batch = [];
    }
  }
  if (batch.length > 0) result.added += await frontier.add(batch);
  return result;
}
