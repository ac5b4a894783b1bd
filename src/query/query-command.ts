import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { commitFile, tempPathFor } from '../fs/index.js';
import type { Writable } from 'node:stream';
import { JarvixError } from '../errors/index.js';
import { writeCsv } from './output/csv.js';
import { writeJsonLines } from './output/json-lines.js';
import { writeTable } from './output/table.js';
import { QueryOutputClosedError } from './errors.js';
import { RunDatabase } from './run-database.js';

export type QueryFormat = 'table' | 'csv' | 'json' | 'parquet';
export const QUERY_FORMATS: readonly QueryFormat[] = ['table', 'csv', 'json', 'parquet'];

export interface QueryCommandOptions {
  runDir: string;
  sql: string;
  format: QueryFormat;
  /** A file to write instead of stdout; required for parquet. */
  output?: string | undefined;
  /** Column width cap of the table format. */
  maxColumnWidth: number;
  /** Safe mode: SELECT only, no file access outside the run's tables (RunDatabaseOptions.safe). */
  safe?: boolean | undefined;
}

export interface QueryCommandIo {
  stdout: Writable;
  stderr: Writable;
}

/**
 * `jarvix query`: one SQL statement (or several, the last one's result is shown) over a run. Files of
 * parquet or CSV are written by DuckDB itself (COPY), so no row passes through JS; every other output
 * streams chunk by chunk. Returns the number of rows written (null when the reader of stdout left early).
 */
export async function runQueryCommand(o: QueryCommandOptions, io: QueryCommandIo): Promise<{ rows: number | null }> {
  if (o.format === 'parquet' && !o.output) throw new JarvixError('JVX_ERR_USAGE_OUTPUT_REQUIRED', '--format parquet writes a file: give one with -o FILE');
  const final = o.output ? resolve(o.output) : undefined;
  // A file appears whole or not at all: written under a temp name, renamed once complete.
  const temp = final === undefined ? undefined : tempPathFor(final);
  const db = await RunDatabase.open(o.runDir, { safe: o.safe ?? false, copyTargets: o.safe && temp ? [temp] : [] });
  try {
    if (final === undefined || temp === undefined) {
      // An 'error' on stdout with no listener would crash the process; put() sees the stream
      // destroyed and stops. A reader that went away (EPIPE) is a normal end, anything else is not.
      let failure: NodeJS.ErrnoException | undefined;
      const onError = (err: NodeJS.ErrnoException): void => void (failure ??= err);
      io.stdout.on('error', onError);
      try {
        return { rows: await writeResult(db, o, io.stdout) };
      } catch (err) {
        if (!(err instanceof QueryOutputClosedError)) throw err;
        if (failure && failure.code !== 'EPIPE') throw failure;
        return { rows: null };
      } finally {
        io.stdout.off('error', onError);
      }
    }
    try {
      const rows = o.format === 'parquet' || o.format === 'csv' ? await db.copyTo(o.sql, temp, o.format) : await writeFile(db, o, temp);
      await commitFile(temp, final);
      io.stderr.write(`wrote ${rows} ${rows === 1 ? 'row' : 'rows'} to ${final}\n`);
      return { rows };
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  } finally {
    await db.close();
  }
}

async function writeFile(db: RunDatabase, o: QueryCommandOptions, path: string): Promise<number> {
  const out = createWriteStream(path);
  try {
    await once(out, 'open'); // rejects with ENOENT/EACCES before the query runs
    const rows = await writeResult(db, o, out);
    out.end();
    await once(out, 'close');
    return rows;
  } finally {
    if (!out.closed) out.destroy();
  }
}

/** Streams the result in one of the text formats; returns the row count. */
async function writeResult(db: RunDatabase, o: QueryCommandOptions, out: Writable): Promise<number> {
  const cursor = await db.cursor(o.sql);
  try {
    if (o.format === 'csv') return await writeCsv(cursor, out);
    if (o.format === 'json') return await writeJsonLines(cursor, out);
    return await writeTable(cursor, out, { maxColumnWidth: o.maxColumnWidth });
  } finally {
    cursor.close();
  }
}
