/**
 * A small stopword-based language detector for en/de/fr/es/it/pt/nl: enough to tag pages that
 * declare no language. Counts stopword hits over the first words of the text.
 */
const STOPWORDS: Record<string, string[]> = {
  en: ['the', 'and', 'of', 'to', 'is', 'in', 'that', 'it', 'for', 'with', 'as', 'was', 'on', 'are', 'this', 'be', 'by', 'you', 'have', 'from', 'or', 'which', 'an', 'not', 'we', 'they', 'their', 'has', 'were', 'would'],
  de: ['der', 'die', 'und', 'das', 'ist', 'nicht', 'mit', 'ein', 'eine', 'den', 'dem', 'sich', 'auf', 'für', 'von', 'zu', 'auch', 'es', 'wir', 'sie', 'ich', 'wird', 'sind', 'oder', 'aus', 'bei', 'nach', 'wie', 'einer', 'über'],
  fr: ['le', 'la', 'les', 'et', 'des', 'est', 'une', 'un', 'du', 'pour', 'que', 'qui', 'dans', 'pas', 'sur', 'au', 'avec', 'ce', 'il', 'sont', 'nous', 'vous', 'mais', 'ou', 'par', 'aux', 'cette', 'été', 'elle', 'leur'],
  es: ['el', 'la', 'los', 'las', 'y', 'es', 'en', 'que', 'del', 'por', 'una', 'un', 'para', 'con', 'no', 'se', 'su', 'al', 'lo', 'como', 'más', 'pero', 'sus', 'le', 'ya', 'está', 'este', 'esta', 'son', 'muy'],
  it: ['il', 'di', 'che', 'la', 'e', 'un', 'per', 'non', 'una', 'sono', 'del', 'della', 'con', 'gli', 'le', 'si', 'nel', 'alla', 'anche', 'come', 'più', 'ma', 'questo', 'dei', 'è', 'delle', 'al', 'lo', 'nella', 'questa'],
  pt: ['de', 'que', 'não', 'o', 'a', 'os', 'as', 'e', 'do', 'da', 'em', 'um', 'uma', 'para', 'com', 'por', 'mais', 'dos', 'das', 'se', 'na', 'no', 'como', 'mas', 'foi', 'ao', 'ele', 'são', 'também', 'muito'],
  nl: ['de', 'het', 'een', 'en', 'van', 'is', 'dat', 'op', 'te', 'zijn', 'niet', 'met', 'voor', 'die', 'er', 'maar', 'ook', 'aan', 'als', 'bij', 'door', 'wordt', 'nog', 'naar', 'uit', 'worden', 'heeft', 'deze', 'kan', 'wij'],
};

const LANGS = Object.keys(STOPWORDS);
const INDEX = new Map<string, number[]>();
for (const [i, lang] of LANGS.entries()) {
  for (const w of STOPWORDS[lang]!) {
    const list = INDEX.get(w) ?? [];
    list.push(i);
    INDEX.set(w, list);
  }
}

const WORD = /[\p{L}]+/gu;
const MAX_WORDS = 2000;
const MIN_HITS = 5;

/** The most likely language, or null when the evidence is thin or ambiguous. */
export function detectLanguage(text: string): string | null {
  const counts = new Array<number>(LANGS.length).fill(0);
  let words = 0;
  for (const m of text.slice(0, 20_000).matchAll(WORD)) {
    const hits = INDEX.get(m[0].toLowerCase());
    if (hits) for (const i of hits) counts[i]!++;
    if (++words >= MAX_WORDS) break;
  }
  let best = -1;
  let second = -1;
  for (let i = 0; i < counts.length; i++) {
    if (best < 0 || counts[i]! > counts[best]!) {
      second = best;
      best = i;
    } else if (second < 0 || counts[i]! > counts[second]!) {
      second = i;
    }
  }
  const top = counts[best] ?? 0;
  const runnerUp = second >= 0 ? counts[second]! : 0;
  if (top < MIN_HITS || top < runnerUp * 1.2 || top < words * 0.05) return null;
  return LANGS[best] ?? null;
}

/** "en-US" → "en"; null for junk. */
export function primaryLanguage(tag: string | null | undefined): string | null {
  if (!tag) return null;
  const m = /^\s*([a-zA-Z]{2,3})(?:[-_]|\s*$|,)/.exec(tag);
  return m?.[1]?.toLowerCase() ?? null;
}
