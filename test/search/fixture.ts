import { join } from 'node:path';
import { DatasetWriter, pageRowBase, type ChunkRow, type PageRow } from '../../src/dataset/index.js';
import { Rng } from '../../src/testweb/prng.js';

export interface FixturePage {
  url: string;
  title: string;
  chunks: string[];
  score: number;
  action: 'BUY' | 'MONITOR' | 'SKIP';
  fetchMs: number;
}

const T0 = Date.UTC(2026, 10, 1);

/** Words of several scripts, with accents and case, so every query feature has matches and misses. */
const WORDS = [
  'coffee', 'Coffee', 'machine', 'espresso', 'grinder', 'price', 'shipping', 'free', 'refurbished', 'kettle',
  'café', 'CAFÉ', 'crème', 'brûlée', 'naïve', 'Zürich', 'garçon', 'mañana',
  'кофе', 'Кофе', 'машина', 'ёлка', 'цена', 'Ελληνικά', 'καφές', 'ΟΔΟΣ', 'τιμή',
  '東京都', '珈琲豆', '価格', 'コーヒー', '北京大学',
  'e-mail', 'wi-fi', 'iPhone', 'USB-C', 'near', 'NEAR', 'body', 'rank',
];

/** A seeded PRNG (the synthetic web's mulberry32), so every run is the same. */
export function prng(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

export function fixturePages(n: number, seed = 1): FixturePage[] {
  const r = prng(seed);
  const pick = (): string => WORDS[Math.floor(r() ** 1.4 * WORDS.length)]!;
  const sentence = (k: number): string => Array.from({ length: k }, pick).join(r() < 0.3 ? ', ' : ' ');
  const hosts = ['shop.example.com', 'example.com', 'blog.example.org', 'кафе.рф', 'news.test'];
  return Array.from({ length: n }, (_, i) => ({
    url: `https://${hosts[i % hosts.length]}/p/${i}`,
    title: sentence(3),
    chunks: Array.from({ length: 1 + Math.floor(r() * 3) }, () => `${sentence(4 + Math.floor(r() * 12))}.`),
    score: Math.round(r() * 10000) / 100,
    action: (['BUY', 'MONITOR', 'SKIP'] as const)[Math.floor(r() * 3)]!,
    fetchMs: T0 + i * 3_600_000,
  }));
}

/** Writes the pages as committed shards of `worker`, `perCheckpoint` pages per seq, as collect does. */
export async function writeRun(runDir: string, pages: readonly FixturePage[], worker = 'w1', perCheckpoint = 40): Promise<string[][]> {
  const w = await DatasetWriter.open({ runDir, worker });
  const all: string[][] = [];
  let seq = 0;
  for (let i = 0; i < pages.length; i += perCheckpoint) {
    for (const p of pages.slice(i, i + perCheckpoint)) {
      const row: PageRow = { ...pageRowBase(p.url), title: p.title, fetch_time: p.fetchMs, fetch_status: 200, score: p.score, quality: p.score / 100, action: p.action };
      w.append('pages', [row]);
      let at = 0;
      const chunks: ChunkRow[] = p.chunks.map((text, k) => {
        const c = { url: p.url, chunk_index: k, text, char_start: at, char_end: at + text.length, token_count: 1, sha1: 'x' };
        at += text.length + 1;
        return c;
      });
      w.append('chunks', chunks);
    }
    const { shards } = await w.stage(++seq);
    await w.publish(shards);
    all.push(shards);
  }
  await w.close();
  return all;
}

export const pageText = (p: FixturePage): string => `${p.title}\n${p.chunks.join('\n')}`;
export const runDirOf = (dir: string, id: string): string => join(dir, 'runs', id);
