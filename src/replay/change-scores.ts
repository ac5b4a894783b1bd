import { fingerprint } from '../extract/simhash.js';
import type { CaptureIndex } from './capture-index.js';
import { bodyText, contentTypeOf, decodedBody, loadRecord } from './record-loader.js';
import { htmlBlocks, isHtmlMime } from './page-text.js';

const FINGERPRINTED = "('text/html', 'application/xhtml+xml', 'text/plain')";
const BATCH = 500;

/** Bits differing between two 64-bit simhashes (16 hex digits each), over 64. */
export function simhashDistance(a: string | null, b: string | null): number {
  if (!a || !b || a.length !== 16 || b.length !== 16) return 1;
  let bits = 0;
  for (let i = 0; i < 16; i += 8) {
    let x = (parseInt(a.slice(i, i + 8), 16) ^ parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x) {
      x &= x - 1;
      bits++;
    }
  }
  return bits / 64;
}

/**
 * Text fingerprints of the payloads not yet fingerprinted: one record read per distinct digest
 * (equal digests are equal payloads), whatever the number of captures sharing it.
 */
export async function fingerprintNewPayloads(index: CaptureIndex, onUnreadable: (file: string, offset: number, err: Error) => void): Promise<number> {
  const next = index.db.prepare(
    `SELECT c.digest, c.mime, c.offset, c.length, w.path FROM captures c JOIN warcs w ON w.id = c.warc_id
     WHERE c.digest > ? AND c.digest != '-' AND c.mime IN ${FINGERPRINTED}
       AND NOT EXISTS (SELECT 1 FROM fingerprints f WHERE f.digest = c.digest)
     GROUP BY c.digest ORDER BY c.digest LIMIT ${BATCH}`,
  );
  const put = index.db.prepare('INSERT OR REPLACE INTO fingerprints (digest, simhash) VALUES (?, ?)');
  let after = '';
  let n = 0;
  for (;;) {
    const rows = next.all(after) as { digest: string; mime: string; offset: number; length: number; path: string }[];
    if (rows.length === 0) return n;
    const prints: [string, string | null][] = [];
    for (const r of rows) {
      after = r.digest;
      try {
        const rec = await loadRecord(r.path, r.offset, undefined, r.length);
        const text = bodyText(await decodedBody(rec), contentTypeOf(rec));
        prints.push([r.digest, fingerprint(isHtmlMime(r.mime) ? htmlBlocks(text).join('\n') : text).simhash]);
      } catch (err) {
        onUnreadable(r.path, r.offset, err as Error);
        prints.push([r.digest, null]);
      }
      n++;
    }
    index.db.transaction(() => {
      for (const [d, s] of prints) put.run(d, s);
    })();
  }
}

/**
 * Stores, for every capture of the URLs touched since the last call, whether it repeats the
 * previous capture's digest (`dup`) and how much it changed against the previous distinct one
 * (`change`, simhash bits over 64; 1 when either side has no text fingerprint). Done once per
 * indexing, in one statement, so a timeline request only reads.
 */
export function updateChangeScores(index: CaptureIndex): number {
  index.db.function('jvx_simdist', { deterministic: true }, (a: unknown, b: unknown) => simhashDistance(a as string | null, b as string | null));
  const r = index.db
    .prepare(
      `UPDATE captures SET dup = w.dup, change = w.change FROM (
         SELECT o.rid AS rid,
           CASE WHEN o.prev IS NOT NULL AND o.prev = o.digest AND o.digest != '-' THEN 1 ELSE 0 END AS dup,
           CASE WHEN o.prev IS NULL THEN NULL
                WHEN o.prev = o.digest AND o.digest != '-' THEN 0
                ELSE jvx_simdist((SELECT simhash FROM fingerprints WHERE digest = o.prev), (SELECT simhash FROM fingerprints WHERE digest = o.digest)) END AS change
         FROM (SELECT c.rowid AS rid, c.digest, LAG(c.digest) OVER (PARTITION BY c.urlkey ORDER BY c.ts, c.rowid) AS prev
               FROM captures c WHERE c.urlkey IN (SELECT urlkey FROM touched)) o
       ) w WHERE captures.rowid = w.rid`,
    )
    .run();
  index.db.exec('DELETE FROM touched');
  return r.changes;
}
