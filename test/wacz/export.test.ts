import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportWacz, verifyWacz, ZipReader } from '../../src/wacz/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { collectRun } from './collected-run.js';
import { missingZipTools, pythonZipList, unzipTest } from './zip-tools.js';

const missing = missingZipTools();

describe.skipIf(missing)('jarvix export --wacz', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let describeUrl: (url: string) => { title: string | null; status: number | null; redirects: readonly string[]; kind: string };
  let urls: string[];

  beforeAll(async () => {
    tmp = await tempDir();
    const r = await collectRun(tmp.dir, 'w', 12);
    urls = r.urls;
    describeUrl = r.describe as unknown as typeof describeUrl;
  }, 120_000);
  afterAll(async () => tmp?.cleanup());

  it('writes WACZ 1.1.1 through the CLI: STORED entries, datapackage hashes, pages with text, and verify passes', async () => {
    const out = join(tmp.dir, 'w.wacz');
    const exp = await runCli(['export', '--data', tmp.dir, '--run', 'w', '--wacz', out]);
    expect(exp.stderr).toMatch(/wrote .*w\.wacz: \d+ bytes, 1 WARC files, 15 index lines \(cdxj\), 12 pages \((\d+) with text\)/);
    expect(exp.code).toBe(0);
    expect(await unzipTest(out)).toMatch(/No errors detected/);
    const listed = await pythonZipList(out);
    const names = listed.map(([n]) => n);
    expect(names.filter((n) => n.startsWith('archive/'))).toHaveLength(1);
    expect(names.slice(1)).toEqual(['indexes/index.cdxj', 'pages/pages.jsonl', 'datapackage.json', 'datapackage-digest.json']);
    expect(listed.every(([, method]) => method === 0)).toBe(true);

    const zip = await ZipReader.open(out);
    const pkg = JSON.parse((await zip.read(zip.entry('datapackage.json')!)).toString()) as { profile: string; wacz_version: string; resources: { path: string; hash: string; bytes: number }[] };
    expect(pkg.profile).toBe('data-package');
    expect(pkg.wacz_version).toBe('1.1.1');
    expect(pkg.resources.map((r) => r.path)).toEqual(names.slice(0, 3));
    for (const [name, , size, hash] of listed.slice(0, 3)) expect(pkg.resources.find((r) => r.path === name)).toMatchObject({ hash: `sha256:${hash}`, bytes: size });
    const digest = JSON.parse((await zip.read(zip.entry('datapackage-digest.json')!)).toString()) as { path: string; hash: string };
    expect(digest).toEqual({ path: 'datapackage.json', hash: `sha256:${listed.find(([n]) => n === 'datapackage.json')![3]}` });

    const lines = (await zip.read(zip.entry('pages/pages.jsonl')!)).toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines[0]).toEqual({ format: 'json-pages-1.0', id: 'pages', title: 'All Pages', hasText: true });
    const pages = lines.slice(1);
    expect(pages.map((p) => p.url).sort()).toEqual([...urls].sort());
    let withText = 0;
    for (const p of pages) {
      expect(p.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      const truth = describeUrl(p.url!);
      // Pages that served HTML have their text; JSON, PDF, a redirect or an error page have none.
      if (['page', 'product', 'article', 'paywalled', 'soft404'].includes(truth.kind) && truth.status === 200 && truth.title) {
        expect(p.title).toBe(truth.title);
        expect(p.text!.length).toBeGreaterThan(50);
      }
      else if (truth.kind === 'json' || truth.kind === 'pdf') expect(p.text).toBeUndefined();
      if (p.text) withText++;
    }
    expect(exp.stderr).toContain(`(${withText} with text)`);

    const verify = await runCli(['warc', 'verify', out]);
    expect(verify.stdout).toBe('');
    expect(verify.stderr).toMatch(/ok, 3 resources, 15 index lines/);
    expect(verify.code).toBe(0);
  });

  it('writes a ZipNum index once the index is large: blocks of whole lines, an idx naming each block, every line at a whole record', async () => {
    const out = join(tmp.dir, 'zipnum.wacz');
    const r = await exportWacz({ dataDir: tmp.dir, runId: 'w', out, zipNumMinLines: 5, zipNumBlockLines: 5, forceZip64: true });
    // 12 pages and the 3 hosts' robots.txt.
    expect(r.index).toEqual({ kind: 'zipnum', lines: 15 });
    const zip = await ZipReader.open(out);
    const idx = (await zip.read(zip.entry('indexes/index.idx')!)).toString().trim().split('\n');
    expect(idx[0]).toBe('!meta 0 {"format":"cdxj-gzip-1.0","filename":"index.cdx.gz"}');
    expect(idx).toHaveLength(1 + 3);
    const gz = await zip.read(zip.entry('indexes/index.cdx.gz')!);
    const all: string[] = [];
    for (const line of idx.slice(1)) {
      const { offset, length } = JSON.parse(line.slice(line.indexOf(' {') + 1)) as { offset: number; length: number };
      const block = gunzipSync(gz.subarray(offset, offset + length)).toString().trim().split('\n');
      expect(block[0]!.startsWith(line.slice(0, line.indexOf(' {')) + ' ')).toBe(true);
      all.push(...block);
    }
    expect(all).toHaveLength(15);
    expect([...all].sort()).toEqual(all);
    expect(await unzipTest(out)).toMatch(/No errors detected/);
    const v = await verifyWacz(out);
    expect(v.problems).toEqual([]);
    expect(v.indexLines).toBe(15);
  });

  it('verify names the resource whose bytes, hash or index pointer are wrong', async () => {
    const out = join(tmp.dir, 'bad.wacz');
    await exportWacz({ dataDir: tmp.dir, runId: 'w', out });
    const zip = await ZipReader.open(out);
    const warc = zip.entries.find((e) => e.name.startsWith('archive/'))!;
    const fh = await open(out, 'r+');
    try {
      // One byte inside the WARC's last record: its hash, its CRC and that record's gzip member break.
      const at = warc.dataOffset + warc.size - 40;
      const b = Buffer.alloc(1);
      await fh.read(b, 0, 1, at);
      b[0] = b[0]! ^ 0xff;
      await fh.write(b, 0, 1, at);
      // The index's first offset moved to a place where no record starts (same length of digits).
      const cdxj = zip.entry('indexes/index.cdxj')!;
      const text = (await readFile(out)).subarray(cdxj.dataOffset, cdxj.dataOffset + cdxj.size).toString('latin1');
      const m = /"offset":"(\d+)"/.exec(text.split('\n').find((l) => !/"offset":"0"/.test(l))!)!;
      const moved = String(Number(m[1]) + 1).padStart(m[1]!.length, '0').slice(-m[1]!.length);
      await fh.write(Buffer.from(`"offset":"${moved}"`, 'latin1'), 0, undefined, cdxj.dataOffset + text.indexOf(m[0]));
    } finally {
      await fh.close();
    }
    const v = await verifyWacz(out);
    const codes = v.problems.map((p) => `${p.resource} ${p.code}`);
    expect(codes).toContain(`${warc.name} JVX_ERR_WACZ_CRC`);
    expect(codes).toContain(`${warc.name} JVX_ERR_WACZ_HASH`);
    expect(codes).toContain('indexes/index.cdxj JVX_ERR_WACZ_HASH');
    expect(codes).toContain(`${warc.name} JVX_ERR_WACZ_INDEX_RECORD`);
    const cli = await runCli(['warc', 'verify', out]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`bad.wacz: ${warc.name}: hash is sha256:`);
  });

  it('refuses a run without WARC files, naming the folder', async () => {
    await expect(exportWacz({ dataDir: tmp.dir, runId: 'nope', out: join(tmp.dir, 'n.wacz') })).rejects.toMatchObject({ code: 'JVX_ERR_WACZ_EMPTY_RUN' });
  });
});
