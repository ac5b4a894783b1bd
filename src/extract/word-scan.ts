/**
 * Table-driven word scanning for the hot path. Regexes with `\p{L}` and per-word
 * `toLowerCase()` strings were half of the extraction time; two 64 Ki tables built once per
 * thread (a few ms) make a word a run of table lookups with no allocation.
 */
let wordTable: Uint8Array | null = null;
let lowerTable: Uint16Array | null = null;

/** 1 for code units that are letters or digits (`[\p{L}\p{N}]`, surrogates count as letters). */
export function wordChars(): Uint8Array {
  if (wordTable === null) build();
  return wordTable!;
}

/** Simple lower-case mapping of each BMP code unit (identity where lower-casing changes length). */
export function lowerChars(): Uint16Array {
  if (lowerTable === null) build();
  return lowerTable!;
}

function build(): void {
  const word = new Uint8Array(65536);
  const lower = new Uint16Array(65536);
  const letter = /[\p{L}\p{N}]/u;
  for (let c = 0; c < 65536; c++) {
    lower[c] = c;
    if (c < 128) {
      const isLetter = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
      word[c] = isLetter ? 1 : 0;
      if (c >= 0x41 && c <= 0x5a) lower[c] = c | 0x20;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      word[c] = 1;
      continue;
    }
    const s = String.fromCharCode(c);
    word[c] = letter.test(s) ? 1 : 0;
    const l = s.toLowerCase();
    if (l.length === 1) lower[c] = l.charCodeAt(0);
  }
  wordTable = word;
  lowerTable = lower;
}
