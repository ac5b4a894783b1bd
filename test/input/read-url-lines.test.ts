import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isInputProblem, readUrlLines, type InputLine, type InputProblem } from '../../src/input/index.js';
import { tempDir } from '../helpers/tmp.js';

async function collect(source: string, stdin?: NodeJS.ReadableStream): Promise<(InputLine | InputProblem)[]> {
  const out: (InputLine | InputProblem)[] = [];
  for await (const item of readUrlLines(source, stdin ? { stdin } : {})) out.push(item);
  return out;
}

describe('readUrlLines', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('jarvix-input-'));
  });
  afterEach(async () => {
    await cleanup();
  });

  it('skips blanks and comments, strips BOM, CR and whitespace, normalizes, and numbers lines', async () => {
    const file = join(dir, 'seeds.txt');
    await writeFile(file, '\uFEFFhttp://A.test/one#top\r\n\r\n# a comment\r\n   https://b.test:443/two  \r\n\t#indented comment\n\nhttp://c.test');
    expect(await collect(file)).toEqual([
      { lineNo: 1, url: 'http://a.test/one' },
      { lineNo: 4, url: 'https://b.test/two' },
      { lineNo: 7, url: 'http://c.test/' },
    ]);
  });

  it('reports each bad line with its number and code, and carries on', async () => {
    const file = join(dir, 'mixed.txt');
    await writeFile(file, ['http://ok.test/1', 'not a url', 'ftp://files.test/x', 'http://ok.test/2', 'mailto:x@y.test'].join('\n'));
    const items = await collect(file);
    expect(items).toEqual([
      { lineNo: 1, url: 'http://ok.test/1' },
      { lineNo: 2, text: 'not a url', code: 'JVX_ERR_URL_INVALID', message: expect.any(String) },
      { lineNo: 3, text: 'ftp://files.test/x', code: 'JVX_ERR_URL_SCHEME', message: expect.any(String) },
      { lineNo: 4, url: 'http://ok.test/2' },
      { lineNo: 5, text: 'mailto:x@y.test', code: 'JVX_ERR_URL_SCHEME', message: expect.any(String) },
    ]);
    expect(items.filter(isInputProblem)).toHaveLength(3);
  });

  it('reads stdin for "-"', async () => {
    const stdin = Readable.from([Buffer.from('http://a.test/\n# c\nbad line\nhttp://b.test/x\n')]);
    expect(await collect('-', stdin)).toEqual([
      { lineNo: 1, url: 'http://a.test/' },
      { lineNo: 3, text: 'bad line', code: 'JVX_ERR_URL_INVALID', message: expect.any(String) },
      { lineNo: 4, url: 'http://b.test/x' },
    ]);
  });

  it('gives the same result whatever the chunking, multi-byte characters split included', async () => {
    const text = '\uFEFFhttp://bücher.test/ä\r\nhttp://x.test/日本\n';
    const bytes = Buffer.from(text);
    const oneByteChunks = Readable.from(Array.from(bytes, (b) => Buffer.from([b])));
    expect(await collect('-', oneByteChunks)).toEqual([
      { lineNo: 1, url: 'http://xn--bcher-kva.test/%C3%A4' },
      { lineNo: 2, url: 'http://x.test/%E6%97%A5%E6%9C%AC' },
    ]);
  });

  it('reports an over-long line without buffering it, and keeps numbering right', async () => {
    const file = join(dir, 'long.txt');
    await writeFile(file, `http://a.test/1\nhttp://a.test/${'x'.repeat(200_000)}\nhttp://a.test/3\n`);
    const items = await collect(file);
    expect(items).toHaveLength(3);
    expect(items[1]).toMatchObject({ lineNo: 2, code: 'JVX_ERR_INPUT_LINE_TOO_LONG' });
    expect((items[1] as InputProblem).text.length).toBeLessThanOrEqual(2048);
    expect(items[2]).toEqual({ lineNo: 3, url: 'http://a.test/3' });
  });

  it('streams a large file line by line', async () => {
    const file = join(dir, 'big.txt');
    const out = createWriteStream(file);
    for (let i = 0; i < 100_000; i++) out.write(`http://h${i % 100}.test/p${i}\n`);
    await new Promise<void>((resolve, reject) => out.end(() => resolve()).on('error', reject));
    let n = 0;
    let last: InputLine | InputProblem | undefined;
    for await (const item of readUrlLines(file)) {
      n++;
      last = item;
    }
    expect(n).toBe(100_000);
    expect(last).toEqual({ lineNo: 100_000, url: 'http://h99.test/p99999' });
  });

  it('throws JVX_ERR_INPUT_NOT_FOUND naming a missing file', async () => {
    const missing = join(dir, 'nope.txt');
    await expect(collect(missing)).rejects.toMatchObject({ code: 'JVX_ERR_INPUT_NOT_FOUND', path: missing });
    await expect(collect(missing)).rejects.toThrow(missing);
  });

  it('throws JVX_ERR_INPUT_UNREADABLE for a directory', async () => {
    const sub = join(dir, 'sub');
    await mkdir(sub);
    await expect(collect(sub)).rejects.toMatchObject({ code: 'JVX_ERR_INPUT_UNREADABLE', path: sub });
  });

  it('yields nothing for an empty file', async () => {
    const file = join(dir, 'empty.txt');
    await writeFile(file, '');
    expect(await collect(file)).toEqual([]);
  });
});
