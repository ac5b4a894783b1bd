import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarcReader, cdxjEntriesOf, readRecordAt } from '../../src/warc/index.js';
import { tempDir } from '../helpers/tmp.js';
import { runWarcCli } from './run-warc-cli.js';

const HEAD = 'HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n';

interface Rec {
  line: string;
  body: string;
}

/** A hand-built ARC; returns the bytes and where each record starts. */
function arc(records: Rec[], gzip: boolean): { bytes: Buffer; offsets: number[] } {
  const parts = records.map((r) => {
    const raw = Buffer.from(`${r.line}\n${r.body}\n`, 'latin1');
    return gzip ? gzipSync(raw) : raw;
  });
  const offsets: number[] = [];
  let at = 0;
  for (const p of parts) {
    offsets.push(at);
    at += p.length;
  }
  return { bytes: Buffer.concat(parts), offsets };
}

const v1 = (url: string, body: string): Rec => ({ line: `${url} 10.0.0.1 20240102030405 text/html ${Buffer.byteLength(body, 'latin1')}`, body });
const v2 = (url: string, body: string): Rec => ({ line: `${url} 10.0.0.2 20240102030406 text/html 200 - - 0 x.arc ${Buffer.byteLength(body, 'latin1')}`, body });
const desc = (version: 1 | 2): Rec => {
  const body = version === 1 ? '1 0 t\nURL IP-address Archive-date Content-type Archive-length\n' : '2 0 t\nURL IP-address Archive-date Content-type Result-code Checksum Location Offset Filename Archive-length\n';
  const fields = version === 1 ? `text/plain ${body.length}` : `text/plain 200 - - 0 x.arc ${body.length}`;
  return { line: `filedesc://x.arc 0.0.0.0 20240101000000 ${fields}`, body };
};

describe('ARC leniency: URLs with spaces, unreadable records reported', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    tmp = await tempDir();
  });
  afterAll(() => tmp.cleanup());

  for (const version of [1, 2] as const) {
    for (const gzip of [false, true]) {
      it(`reads a v${version} header line whose URL holds spaces (the other fields are the last ${version === 1 ? 4 : 9})${gzip ? ', .arc.gz' : ''}`, async () => {
        const make = version === 1 ? v1 : v2;
        const spaced = 'http://arc.test/my page/a b.html?q=x y';
        // Five spaces: a v1 line then has 10 fields, as many as a v2 line.
        const manySpaces = 'http://arc.test/a b c d e f';
        const { bytes, offsets } = arc([desc(version), make(spaced, `${HEAD}<p>spaced</p>`), make(manySpaces, `${HEAD}<p>many</p>`), make('http://arc.test/plain', `${HEAD}<p>plain</p>`)], gzip);
        const path = join(tmp.dir, `spaces-v${version}${gzip ? '.arc.gz' : '.arc'}`);
        await writeFile(path, bytes);
        const reader = new WarcReader(path);
        const seen: { uri?: string; arcUrl?: string; offset: number; version: string; body: string }[] = [];
        for await (const rec of reader.records()) {
          const body = (await rec.readBlock()).toString('latin1');
          seen.push({ uri: rec.targetUri, arcUrl: rec.headers.get('ARC-URL'), offset: rec.offset, version: rec.version, body });
        }
        expect(seen.map((s) => s.offset)).toEqual(offsets);
        expect(seen.every((s) => s.version === `ARC/${version}`)).toBe(true);
        expect(seen.slice(1).map((s) => s.arcUrl)).toEqual([spaced, manySpaces, 'http://arc.test/plain']);
        expect(seen.slice(1).map((s) => s.uri)).toEqual([spaced.replace(/ /g, '%20'), manySpaces.replace(/ /g, '%20'), 'http://arc.test/plain']);
        expect(seen[1]!.body).toContain('<p>spaced</p>');
        expect(reader.anomalies.counts).toEqual({ 'uri-spaces': 2 });
        const entries = [];
        for await (const e of cdxjEntriesOf(path)) entries.push(e);
        expect(entries.map((e) => e.url).sort()).toEqual([spaced.replace(/ /g, '%20'), manySpaces.replace(/ /g, '%20'), 'http://arc.test/plain'].sort());
        expect((await readRecordAt(path, offsets[2]!)).headers.get('ARC-URL')).toBe(manySpaces);
      });
    }
  }

  it('reports a record it cannot read with its file and offset, and reads the records around it', async () => {
    const bad: Rec = { line: 'http://arc.test/broken 10.0.0.3 yesterday text/html 21', body: `${HEAD}<p>lost</p>`.slice(0, 21) };
    const { bytes, offsets } = arc([desc(1), v1('http://arc.test/one', `${HEAD}one`), bad, v1('http://arc.test/two', `${HEAD}two`)], false);
    const path = join(tmp.dir, 'bad.arc');
    await writeFile(path, bytes);
    const reader = new WarcReader(path);
    const uris: (string | undefined)[] = [];
    for await (const rec of reader.records()) uris.push(rec.targetUri);
    expect(uris).toEqual([undefined, 'http://arc.test/one', 'http://arc.test/two']);
    expect(reader.anomalies.counts['arc-bad-header']).toBe(1);
    expect(reader.anomalies.events.find((e) => e.code === 'arc-bad-header')).toMatchObject({ offset: offsets[2], detail: expect.stringContaining('http://arc.test/broken') });
    const cli = await runWarcCli(['index', path]);
    expect(cli.code).toBe(0);
    expect(cli.stdout.trim().split('\n')).toHaveLength(2);
    expect(cli.stderr).toContain(`${path}:${offsets[2]}: arc-bad-header: unreadable ARC header line: "http://arc.test/broken`);
  });
});
