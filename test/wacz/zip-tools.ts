import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { missingTool } from '../report/tools.js';

const run = promisify(execFile);
export const UNZIP = '/usr/bin/unzip';
export const PYTHON = '/usr/bin/python3';
export const missingZipTools = (): string | null => missingTool(UNZIP, 'unzip') ?? missingTool(PYTHON, 'python3');

/** Info-ZIP's integrity test (every CRC) of a ZIP; resolves with its output. */
export async function unzipTest(path: string): Promise<string> {
  return (await run(UNZIP, ['-t', path])).stdout;
}

/** Python's zipfile: [name, method, size, sha256] of every entry, read through its own reader. */
export async function pythonZipList(path: string): Promise<[string, number, number, string][]> {
  const script = [
    'import sys, json, zipfile, hashlib',
    'z = zipfile.ZipFile(sys.argv[1])',
    'bad = z.testzip()',
    'assert bad is None, bad',
    'print(json.dumps([[i.filename, i.compress_type, i.file_size, hashlib.sha256(z.read(i)).hexdigest()] for i in z.infolist()]))',
  ].join('\n');
  return JSON.parse((await run(PYTHON, ['-c', script, path], { maxBuffer: 64 * 1024 * 1024 })).stdout) as [string, number, number, string][];
}
