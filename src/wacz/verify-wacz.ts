import { createHash } from 'node:crypto';
import { gunzipSync, crc32 } from 'node:zlib';
import { errorCode, errorMessage } from '../errors/index.js';
import { parseCdxj, type CdxjEntry } from '../warc/cdxj.js';
import { WarcReader } from '../warc/reader.js';
import { ZIPNUM_FORMAT } from './wacz-index.js';
import { ZipReader, type ZipEntry } from './zip-reader.js';

/** One thing wrong in a WACZ, naming the resource (ZIP entry) it concerns. */
export interface WaczProblem {
  readonly resource: string;
  readonly problem: string;
  readonly code: string;
}

export interface WaczVerifyResult {
  readonly resources: number;
  readonly indexLines: number;
  readonly problems: WaczProblem[];
}

const MAX_PROBLEMS = 10_000;

/**
 * Checks a WACZ: the ZIP structure (central directory, local headers, CRC-32 of every entry), that
 * WARCs and the ZipNum data are STORED (readers range-read them), every datapackage.json resource's
 * size and hash, datapackage-digest.json against datapackage.json's bytes, and that every index
 * line points at one whole record of the URL it names, inside an `archive/` entry. Streams every
 * entry once; reads one record per index line.
 */
export async function verifyWacz(path: string): Promise<WaczVerifyResult> {
  const problems: WaczProblem[] = [];
  const add = (resource: string, problem: string, code: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push({ resource, problem, code });
  };
  let zip: ZipReader;
  try {
    zip = await ZipReader.open(path);
  } catch (err) {
    add('(zip)', errorMessage(err), errorCode(err, 'JVX_ERR_WACZ_ZIP'));
    return { resources: 0, indexLines: 0, problems };
  }

  const hashes = new Map<string, { sha256: string; md5: string; bytes: number }>();
  for (const e of zip.entries) {
    if (e.method !== 0 && (e.name.startsWith('archive/') || e.name.endsWith('.cdx.gz'))) add(e.name, `compression method ${e.method}: WARCs and ZipNum blocks must be STORED for range reads`, 'JVX_ERR_WACZ_COMPRESSED');
    try {
      const sha = createHash('sha256');
      const md5 = createHash('md5');
      let crc = 0;
      let bytes = 0;
      for await (const c of zip.chunks(e)) {
        sha.update(c);
        md5.update(c);
        crc = crc32(c, crc);
        bytes += c.length;
      }
      if (bytes !== e.size) add(e.name, `ZIP entry holds ${bytes} bytes, its directory says ${e.size}`, 'JVX_ERR_WACZ_ZIP');
      if (crc >>> 0 !== e.crc32) add(e.name, 'CRC-32 does not match the ZIP directory', 'JVX_ERR_WACZ_CRC');
      hashes.set(e.name, { sha256: `sha256:${sha.digest('hex')}`, md5: `md5:${md5.digest('hex')}`, bytes });
    } catch (err) {
      add(e.name, errorMessage(err), errorCode(err, 'JVX_ERR_WACZ_ZIP'));
    }
  }

  const pkgEntry = zip.entry('datapackage.json');
  let resources = 0;
  if (!pkgEntry) add('datapackage.json', 'missing', 'JVX_ERR_WACZ_MISSING_RESOURCE');
  else {
    const pkgBytes = await zip.read(pkgEntry);
    resources = checkDataPackage(pkgBytes, zip, hashes, add);
    const digestEntry = zip.entry('datapackage-digest.json');
    if (!digestEntry) add('datapackage-digest.json', 'missing', 'JVX_ERR_WACZ_MISSING_RESOURCE');
    else checkDigest(await zip.read(digestEntry), pkgBytes, add);
  }

  const indexLines = await checkIndexes(zip, add);
  return { resources, indexLines, problems };
}

type Add = (resource: string, problem: string, code: string) => void;

function checkDataPackage(bytes: Buffer, zip: ZipReader, hashes: Map<string, { sha256: string; md5: string; bytes: number }>, add: Add): number {
  let pkg: { wacz_version?: unknown; resources?: unknown };
  try {
    pkg = JSON.parse(bytes.toString('utf8')) as typeof pkg;
  } catch (err) {
    add('datapackage.json', `not JSON: ${errorMessage(err)}`, 'JVX_ERR_WACZ_DATAPACKAGE');
    return 0;
  }
  if (typeof pkg.wacz_version !== 'string') add('datapackage.json', 'no wacz_version', 'JVX_ERR_WACZ_DATAPACKAGE');
  if (!Array.isArray(pkg.resources)) {
    add('datapackage.json', 'no resources array', 'JVX_ERR_WACZ_DATAPACKAGE');
    return 0;
  }
  const listed = new Set<string>();
  for (const r of pkg.resources as { path?: unknown; hash?: unknown; bytes?: unknown }[]) {
    const p = typeof r?.path === 'string' ? r.path : undefined;
    if (!p) {
      add('datapackage.json', `a resource without a path: ${JSON.stringify(r)}`, 'JVX_ERR_WACZ_DATAPACKAGE');
      continue;
    }
    listed.add(p);
    const got = hashes.get(p);
    if (!zip.entry(p)) add(p, 'listed in datapackage.json but not in the ZIP', 'JVX_ERR_WACZ_MISSING_RESOURCE');
    else if (got) {
      if (r.bytes !== got.bytes) add(p, `size ${got.bytes} bytes, datapackage.json says ${String(r.bytes)}`, 'JVX_ERR_WACZ_SIZE');
      const hash = typeof r.hash === 'string' ? r.hash : '';
      const expected = hash.startsWith('md5:') ? got.md5 : got.sha256;
      if (!hash.startsWith('sha256:') && !hash.startsWith('md5:')) add(p, `hash ${JSON.stringify(hash)} is not sha256:… or md5:…`, 'JVX_ERR_WACZ_HASH');
      else if (hash.toLowerCase() !== expected) add(p, `hash is ${expected}, datapackage.json says ${hash}`, 'JVX_ERR_WACZ_HASH');
    }
  }
  for (const e of zip.entries) {
    if (e.name.endsWith('/') || e.name === 'datapackage.json' || e.name === 'datapackage-digest.json') continue;
    if (!listed.has(e.name)) add(e.name, 'in the ZIP but not listed in datapackage.json', 'JVX_ERR_WACZ_UNLISTED');
  }
  return listed.size;
}

function checkDigest(bytes: Buffer, pkgBytes: Buffer, add: Add): void {
  let digest: { path?: unknown; hash?: unknown };
  try {
    digest = JSON.parse(bytes.toString('utf8')) as typeof digest;
  } catch (err) {
    add('datapackage-digest.json', `not JSON: ${errorMessage(err)}`, 'JVX_ERR_WACZ_DIGEST');
    return;
  }
  const expected = `sha256:${createHash('sha256').update(pkgBytes).digest('hex')}`;
  if (digest.path !== 'datapackage.json') add('datapackage-digest.json', `path is ${JSON.stringify(digest.path)}, not "datapackage.json"`, 'JVX_ERR_WACZ_DIGEST');
  if (digest.hash !== expected) add('datapackage-digest.json', `hash ${JSON.stringify(digest.hash)} does not match datapackage.json (${expected})`, 'JVX_ERR_WACZ_DIGEST');
}

/** Lines of an entry (one line in memory at a time). */
async function* entryLines(zip: ZipReader, e: ZipEntry): AsyncGenerator<string> {
  let rest = '';
  for await (const c of zip.chunks(e)) {
    const text = rest + c.toString('utf8');
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) if (p !== '') yield p;
  }
  if (rest !== '') yield rest;
}

async function checkIndexes(zip: ZipReader, add: Add): Promise<number> {
  let lines = 0;
  let any = false;
  for (const e of zip.entries) {
    if (!e.name.startsWith('indexes/')) continue;
    if (e.name.endsWith('.cdxj') || e.name.endsWith('.cdx')) {
      any = true;
      let n = 0;
      for await (const line of entryLines(zip, e)) {
        n++;
        await checkLine(zip, e.name, n, line, add);
      }
      lines += n;
    } else if (e.name.endsWith('.idx')) {
      any = true;
      lines += await checkZipNum(zip, e, add);
    }
  }
  if (!any) add('indexes/', 'no index (indexes/*.cdxj, *.cdx or *.idx)', 'JVX_ERR_WACZ_INDEX');
  return lines;
}

/** A ZipNum index: each idx line names one gzip block of the .cdx.gz; the blocks tile it, each holds whole lines starting at its key. */
async function checkZipNum(zip: ZipReader, idx: ZipEntry, add: Add): Promise<number> {
  let dataName = '';
  let expectedOffset = 0;
  let lines = 0;
  let n = 0;
  let data: ZipEntry | undefined;
  for await (const line of entryLines(zip, idx)) {
    n++;
    const brace = line.indexOf(' {');
    if (brace < 0) {
      add(idx.name, `line ${n}: not "key {json}"`, 'JVX_ERR_WACZ_INDEX');
      continue;
    }
    let json: { format?: unknown; filename?: unknown; offset?: unknown; length?: unknown };
    try {
      json = JSON.parse(line.slice(brace + 1)) as typeof json;
    } catch {
      add(idx.name, `line ${n}: JSON does not parse`, 'JVX_ERR_WACZ_INDEX');
      continue;
    }
    if (n === 1 && line.startsWith('!meta')) {
      if (json.format !== ZIPNUM_FORMAT) add(idx.name, `format ${JSON.stringify(json.format)}, expected ${ZIPNUM_FORMAT}`, 'JVX_ERR_WACZ_INDEX');
      if (typeof json.filename === 'string') dataName = json.filename;
      continue;
    }
    const name = `indexes/${typeof json.filename === 'string' ? json.filename : dataName}`;
    data ??= zip.entry(name);
    if (!data || data.name !== name) {
      add(idx.name, `line ${n}: block file ${name} is not in the ZIP`, 'JVX_ERR_WACZ_INDEX');
      continue;
    }
    const offset = Number(json.offset);
    const length = Number(json.length);
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length <= 0 || offset + length > data.size) {
      add(idx.name, `line ${n}: block [${String(json.offset)}, +${String(json.length)}) is outside ${name} (${data.size} bytes)`, 'JVX_ERR_WACZ_INDEX_BLOCK');
      continue;
    }
    if (offset !== expectedOffset) add(idx.name, `line ${n}: block starts at ${offset}, the previous one ended at ${expectedOffset}`, 'JVX_ERR_WACZ_INDEX_BLOCK');
    expectedOffset = offset + length;
    if (data.method !== 0) continue;
    const parts: Buffer[] = [];
    for await (const c of zip.chunks(data, { start: offset, length })) parts.push(c);
    let text: string;
    try {
      text = gunzipSync(Buffer.concat(parts)).toString('utf8');
    } catch (err) {
      add(name, `block at ${offset} (+${length}) does not gunzip: ${errorMessage(err)}`, 'JVX_ERR_WACZ_INDEX_BLOCK');
      continue;
    }
    if (!text.endsWith('\n')) add(name, `block at ${offset} does not end with a whole line`, 'JVX_ERR_WACZ_INDEX_BLOCK');
    const blockLines = text.split('\n').filter((l) => l !== '');
    const key = line.slice(0, brace);
    if (!blockLines[0]?.startsWith(`${key} `)) add(idx.name, `line ${n}: key ${JSON.stringify(key)} is not the first line of its block`, 'JVX_ERR_WACZ_INDEX_BLOCK');
    for (const l of blockLines) {
      lines++;
      await checkLine(zip, `${name}@${offset}`, lines, l, add);
    }
  }
  if (data && expectedOffset !== data.size) add(data.name, `the idx blocks cover ${expectedOffset} of ${data.size} bytes`, 'JVX_ERR_WACZ_INDEX_BLOCK');
  return lines;
}

/** One CDXJ line: its record must start at `offset` of `archive/<filename>`, be `length` long, and be of its URL. */
async function checkLine(zip: ZipReader, where: string, n: number, line: string, add: Add): Promise<void> {
  const e: CdxjEntry | undefined = parseCdxj(line);
  if (!e) {
    add(where, `line ${n}: not a CDXJ line`, 'JVX_ERR_WACZ_INDEX');
    return;
  }
  const warc = zip.entry(`archive/${e.filename}`);
  if (!warc) {
    add(where, `line ${n}: ${e.url} points into archive/${e.filename}, which is not in the ZIP`, 'JVX_ERR_WACZ_INDEX_RECORD');
    return;
  }
  if (warc.method !== 0) return;
  if (e.offset + e.length > warc.size) {
    add(warc.name, `index line ${n} (${e.url}): record [${e.offset}, +${e.length}) runs past the file (${warc.size} bytes)`, 'JVX_ERR_WACZ_INDEX_RECORD');
    return;
  }
  try {
    const reader = new WarcReader(zip.path, { offset: warc.dataOffset + e.offset, maxRecords: 1, strictStart: true });
    for await (const rec of reader.records()) {
      await rec.done();
      if (!rec.complete || rec.length !== e.length) add(warc.name, `index line ${n} (${e.url}): the record at ${e.offset} is ${rec.complete ? `${rec.length} bytes, the index says ${e.length}` : 'not whole'}`, 'JVX_ERR_WACZ_INDEX_RECORD');
      else if (rec.targetUri !== e.url) add(warc.name, `index line ${n}: the record at ${e.offset} is of ${String(rec.targetUri)}, the index says ${e.url}`, 'JVX_ERR_WACZ_INDEX_RECORD');
    }
  } catch (err) {
    add(warc.name, `index line ${n} (${e.url}): no record at offset ${e.offset}: ${errorMessage(err)}`, 'JVX_ERR_WACZ_INDEX_RECORD');
  }
}
