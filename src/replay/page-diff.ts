import { diffArrays, diffWords } from 'diff';

export type DiffType = 'text' | 'links' | 'source';
export const DIFF_TYPES: readonly DiffType[] = ['text', 'links', 'source'];

export type DiffOp = 'keep' | 'add' | 'remove';

/** A run of lines (blocks, links or source lines); a changed pair also carries its word diff. */
export interface DiffBlock {
  readonly op: DiffOp | 'change';
  /** `keep`/`add`/`remove`: the lines. `change`: the removed lines then the added ones. */
  readonly lines?: readonly string[];
  readonly removed?: readonly string[];
  readonly added?: readonly string[];
  readonly words?: readonly { op: DiffOp; text: string }[];
}

export interface DiffCounts {
  added: number;
  removed: number;
  kept: number;
}

export interface PageDiff {
  readonly blocks: DiffBlock[];
  /** Counted in lines, and in words inside the changed blocks that had a word diff. */
  readonly lines: DiffCounts;
  readonly words: DiffCounts;
  /** True when the time cap stopped the diff: what is not diffed finely is given as whole removed/added runs. */
  readonly partial: boolean;
  readonly elapsedMs: number;
}

interface Change {
  value: string[];
  added: boolean;
  removed: boolean;
}

const countWords = (s: string): number => (s.match(/\S+/g) ?? []).length;

/**
 * Line (or block) diff first, then words inside each changed pair of runs, all within
 * `timeoutMs`: past it, the line diff falls back to trimming the common head and tail (the
 * middle given as removed then added), word diffs stop, and the result says `partial`.
 */
export function diffLines(a: readonly string[], b: readonly string[], timeoutMs = 2000, now: () => number = () => performance.now()): PageDiff {
  const start = now();
  let partial = false;
  const fine = diffArrays(a as string[], b as string[], { timeout: timeoutMs });
  let changes: Change[];
  if (fine === undefined) {
    partial = true;
    changes = coarse(a, b);
  } else changes = fine;
  const blocks: DiffBlock[] = [];
  const lines: DiffCounts = { added: 0, removed: 0, kept: 0 };
  const words: DiffCounts = { added: 0, removed: 0, kept: 0 };
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    const next = changes[i + 1];
    if (c.removed && next?.added) {
      lines.removed += c.value.length;
      lines.added += next.value.length;
      i++;
      const wd = wordDiff(c.value, next.value, timeoutMs - (now() - start));
      if (wd === undefined) {
        partial = true;
        blocks.push({ op: 'change', removed: c.value, added: next.value });
        continue;
      }
      const w = wd.map((x) => ({ op: (x.added ? 'add' : x.removed ? 'remove' : 'keep') as DiffOp, text: x.value }));
      for (const x of w) words[x.op === 'add' ? 'added' : x.op === 'remove' ? 'removed' : 'kept'] += countWords(x.text);
      blocks.push({ op: 'change', removed: c.value, added: next.value, words: w });
      continue;
    }
    const op: DiffOp = c.added ? 'add' : c.removed ? 'remove' : 'keep';
    lines[op === 'add' ? 'added' : op === 'remove' ? 'removed' : 'kept'] += c.value.length;
    blocks.push({ op, lines: c.value });
  }
  return { blocks, lines, words, partial, elapsedMs: Math.round((now() - start) * 10) / 10 };
}

/**
 * Words inside a changed pair of runs. Runs of equal length are compared line by line (an edited
 * paragraph against its new version: far cheaper than one diff over the joined runs).
 */
function wordDiff(removed: readonly string[], added: readonly string[], budgetMs: number): { value: string; added?: boolean; removed?: boolean }[] | undefined {
  if (budgetMs <= 0) return undefined;
  if (removed.length !== added.length) return diffWords(removed.join('\n'), added.join('\n'), { timeout: budgetMs });
  const t0 = performance.now();
  const out: { value: string; added?: boolean; removed?: boolean }[] = [];
  for (let i = 0; i < removed.length; i++) {
    const left = budgetMs - (performance.now() - t0);
    const d = left > 0 ? diffWords(removed[i]!, added[i]!, { timeout: left }) : undefined;
    if (d === undefined) return undefined;
    if (i > 0) out.push({ value: '\n' });
    out.push(...d);
  }
  return out;
}

/** Common head and tail kept, the middle as one removal and one addition: linear, always finishes. */
function coarse(a: readonly string[], b: readonly string[]): Change[] {
  let h = 0;
  while (h < a.length && h < b.length && a[h] === b[h]) h++;
  let t = 0;
  while (t < a.length - h && t < b.length - h && a[a.length - 1 - t] === b[b.length - 1 - t]) t++;
  const out: Change[] = [];
  if (h) out.push({ value: a.slice(0, h), added: false, removed: false });
  if (a.length - h - t > 0) out.push({ value: a.slice(h, a.length - t), added: false, removed: true });
  if (b.length - h - t > 0) out.push({ value: b.slice(h, b.length - t), added: true, removed: false });
  if (t) out.push({ value: a.slice(a.length - t), added: false, removed: false });
  return out;
}
