import { chunkText } from '../chunk/index.js';
import { errorCode, errorMessage } from '../errors/index.js';
import { extractPage, type ExtractResult } from '../extract/index.js';
import { createScorer, type Scorer, type ScoringProfile } from '../score/index.js';
import { resolveStageSettings, type StageSettings } from './settings.js';
import type { StageColumns, StageInput, StageResult, StageSuccess } from './types.js';

const scorers = new WeakMap<ScoringProfile, Scorer>();

function scorerFor(profile: ScoringProfile): Scorer {
  let s = scorers.get(profile);
  if (!s) {
    s = createScorer(profile);
    scorers.set(profile, s);
  }
  return s;
}

/**
 * Extract, chunk and score one response, in this thread: what the worker pool runs per page and
 * what `jarvix curate` calls on bodies read back from the WARCs. Deterministic: the same input
 * and settings give the same result. An exception in a stage becomes a dead letter naming it.
 */
export function analysePage(input: StageInput, settings: StageSettings = resolveStageSettings()): StageResult {
  let stage = 'extract';
  try {
    const ex = extractPage({
      url: input.url,
      body: input.body,
      contentType: input.contentType,
      status: input.status,
      maxTextChars: settings.maxTextChars,
      maxHtmlBytes: settings.maxHtmlBytes,
    });
    stage = 'chunk';
    const chunks = ex.wordCount > 0 && ex.wordCount >= settings.chunkMinWords ? chunkText(ex.text, settings.chunk) : [];
    stage = 'score';
    return assemble(input, ex, chunks, scorerFor(settings.profile));
  } catch (err) {
    return { deadLetter: { stage, errorCode: errorCode(err, 'JVX_ERR_STAGE_FAILED'), message: errorMessage(err) } };
  }
}

function assemble(input: StageInput, ex: ExtractResult, chunks: StageSuccess['chunks'], score: Scorer): StageSuccess {
  // One links row per target (the first anchor wins), so outlink_count and the links table agree.
  const links: StageSuccess['links'] = [];
  const follow: { url: string }[] = [];
  const seen = new Set<string>();
  for (const l of ex.links) {
    if (seen.has(l.url)) continue;
    seen.add(l.url);
    links.push({ dst_url: l.url, anchor_text: l.text === '' ? null : l.text, rel: l.rel, nofollow: l.nofollow });
    if (!l.nofollow) follow.push({ url: l.url });
  }
  const s = ex.signals;
  const base = {
    title: ex.title,
    headline: ex.headline,
    extraction_fallback: ex.extractionFallback,
    description: ex.description,
    canonical_url: ex.canonicalUrl,
    language: ex.language,
    content_languages: ex.language,
    content_charset: ex.charset,
    content_mime_detected: ex.mimeDetected,
    word_count: ex.wordCount,
    outlink_count: links.length,
    text_sha1: ex.textSha1,
    simhash: ex.simhash,
    has_price: s.hasPrice,
    price: s.price,
    currency: s.currency,
    buy_intent: s.buyIntent,
    paywall: s.paywall,
    soft_404: s.soft404,
  };
  const scored = score({
    fetch_status: input.status,
    error_code: input.errorCode,
    attempts: input.attempts,
    title: base.title,
    description: base.description,
    word_count: base.word_count,
    language: base.language,
    soft_404: base.soft_404,
    paywall: base.paywall,
    buy_intent: base.buy_intent,
  });
  const columns: StageColumns = { ...base, ...scored };
  return { columns, links, chunks, extract: { links: follow }, anomalies: ex.anomalies };
}
