import { Command, Option } from 'commander';
import { exportWacz } from '../../wacz/index.js';
import { ExitCode, addRunOptions, parseIntOption, reportCliError } from '../common.js';

interface ExportCliOptions {
  run: string;
  data: string;
  wacz: string;
  zipnumMinLines?: number;
  maxTextChars?: number;
}

export function register(program: Command): void {
  addRunOptions(
    program
      .command('export')
      .description('package a run for other tools: --wacz FILE writes WACZ 1.1.1 (opens in ReplayWeb.page)')
      .requiredOption('--wacz <file>', 'the .wacz file to write')
      .addOption(new Option('--zipnum-min-lines <n>', 'index lines from which a ZipNum index is written instead of one CDXJ (default 3000)').argParser(parseIntOption('--zipnum-min-lines', 1)))
      .addOption(new Option('--max-text-chars <n>', "cap on each page's text in pages.jsonl (default 100000)").argParser(parseIntOption('--max-text-chars', 0))),
  ).action(async (o: ExportCliOptions) => {
    try {
      const r = await exportWacz({ dataDir: o.data, runId: o.run, out: o.wacz, zipNumMinLines: o.zipnumMinLines, maxTextChars: o.maxTextChars });
      const unreadable = r.pagesUnreadable > 0 ? `, ${r.pagesUnreadable} pages unreadable (listed without text)` : '';
      process.stderr.write(`wrote ${r.path}: ${r.bytes} bytes, ${r.warcs} WARC files, ${r.index.lines} index lines (${r.index.kind}), ${r.pages} pages (${r.pagesWithText} with text)${unreadable}\n`);
      process.exitCode = ExitCode.ok;
    } catch (err) {
      process.exitCode = reportCliError(err);
    }
  });
}
