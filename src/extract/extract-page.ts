import { Parser } from 'htmlparser2';
import { createDecoder, detectCharset } from './charset.js';
import { detectMime } from './mime.js';
import { HtmlWalker, collapse } from './html-walker.js';
import { collectFacts, emptyFacts, parseJsonLd, parsePrice } from './structured-data.js';
import { detectLanguage, primaryLanguage } from './language.js';
import { computeSignals } from './signals.js';
import { baseUrlFor, resolveHref, resolveLinks } from './links.js';
import { fingerprint, sha1Hex, simhash64 } from './simhash.js';
import { TextSink } from './text-sink.js';
import { pickHeadline } from './headline.js';
import type { ExtractInput, ExtractResult } from './types.js';

const DEFAULT_MAX_TEXT_CHARS = 1_000_000;
const DEFAULT_MAX_HTML_BYTES = 32 * 1024 * 1024;
/** Small enough that a pathological chunk (thousands of nested tags) stays cheap, see MAX_DEPTH. */
const DECODE_CHUNK_BYTES = 16 * 1024;
/** Main/article text is used instead of the whole body once it holds this much. */
const MAIN_MIN_CHARS = 200;
/**
 * The fallback rule: a page with at least this much visible text never yields almost nothing.
 * Main text under MAIN_MIN_SHARE of the body text gives way to the body text ('main-too-short');
 * picked text under PICKED_MIN_SHARE of the visible text gives way to all of it ('text-too-short').
 */
const FALLBACK_MIN_VISIBLE = 1000;
const MAIN_MIN_SHARE = 0.25;
const PICKED_MIN_SHARE = 0.15;

/**
 * Extracts text, links, metadata and signals from one response body in a single streaming
 * htmlparser2 pass. Never throws on content: odd input is recorded in `anomalies`.
 */
export function extractPage(input: ExtractInput): ExtractResult {
  const maxTextChars = input.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS;
  const maxHtmlBytes = input.maxHtmlBytes ?? DEFAULT_MAX_HTML_BYTES;
  const status = input.status ?? null;
  const body = input.body;
  const mime = detectMime(body, input.contentType);
  const cs = detectCharset(body, input.contentType);
  const anomalies = new Set<string>(cs.anomalies);
  if (mime.mismatch) anomalies.add('mime-mismatch');

  if (mime.kind === 'other') return emptyResult(mime.mime, cs.charset, cs.source, status, [...anomalies]);

  let bytes = body.subarray(cs.bomLength);
  if (bytes.length > maxHtmlBytes) {
    bytes = bytes.subarray(0, maxHtmlBytes);
    anomalies.add('html-truncated');
  }
  const decoder = createDecoder(cs.charset);

  if (mime.kind === 'text') {
    const sink = new TextSink(maxTextChars);
    let replaced = false;
    const feed = (s: string): void => {
      if (!replaced && s.includes('\ufffd')) replaced = true;
      for (const para of s.split(/\n\s*\n/)) {
        sink.append(para);
        sink.paragraph();
      }
    };
    for (let i = 0; i < bytes.length; i += DECODE_CHUNK_BYTES) feed(decoder.write(bytes.subarray(i, i + DECODE_CHUNK_BYTES)));
    feed(decoder.end());
    if (replaced) anomalies.add('charset-invalid-bytes');
    if (sink.truncated) anomalies.add('text-truncated');
    return finish(emptyResult(mime.mime, cs.charset, cs.source, status, [...anomalies]), sink.toString(), status);
  }

  const walker = new HtmlWalker(maxTextChars);
  const parser = new Parser(walker, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeCDATA: false });
  walker.onTooDeep = () => parser.pause();
  let replaced = false;
  for (let i = 0; i < bytes.length && !walker.tooDeep; i += DECODE_CHUNK_BYTES) {
    const chunk = decoder.write(bytes.subarray(i, i + DECODE_CHUNK_BYTES));
    if (!replaced && chunk.includes('\ufffd')) replaced = true;
    parser.write(chunk);
  }
  if (!walker.tooDeep) parser.end(decoder.end());
  if (replaced) anomalies.add('charset-invalid-bytes');
  for (const a of walker.anomalies) anomalies.add(a);

  const { sink, fallback } = pickText(walker);
  if (sink.truncated) anomalies.add('text-truncated');
  const text = sink.toString();

  const roots: unknown[] = [];
  for (const raw of walker.jsonLd) {
    const parsed = parseJsonLd(raw);
    if (parsed === null) anomalies.add('jsonld-invalid');
    else roots.push(parsed);
  }
  roots.push(...walker.micro.items);
  const facts = collectFacts(roots, emptyFacts());
  const meta = walker.meta;
  // OpenGraph product tags fill in when schema.org data is missing.
  const ogPrice = parsePrice(meta.get('product:price:amount') ?? meta.get('og:price:amount') ?? null);
  if (facts.offerPrice === null && facts.product?.price == null && ogPrice !== null) {
    facts.offerPrice = { price: ogPrice, currency: (meta.get('product:price:currency') ?? meta.get('og:price:currency') ?? '').toUpperCase() || null };
  }
  const structuredPrice = facts.product?.price != null
    ? { price: facts.product.price, currency: facts.product.currency }
    : facts.offerPrice;

  const base = baseUrlFor(input.url, walker.baseHref);
  const robots = (meta.get('robots') ?? '').toLowerCase();
  const links = resolveLinks(walker.links, base, /\bnofollow\b|\bnone\b/.test(robots));
  const canonicalUrl = walker.canonical === null ? null : resolveHref(walker.canonical, base);

  const title = nonEmpty(walker.title) ?? nonEmpty(collapse(meta.get('og:title') ?? '')) ?? null;
  const headline = pickHeadline({
    title: walker.title,
    h1: walker.h1,
    jsonLdHeadline: facts.headline,
    ogTitle: meta.get('og:title') ?? null,
    twitterTitle: meta.get('twitter:title') ?? null,
    siteName: meta.get('og:site_name') ?? meta.get('application-name') ?? facts.organization?.name ?? null,
    host: hostOf(input.url),
  });
  const description = nonEmpty(collapse(meta.get('description') ?? meta.get('og:description') ?? meta.get('twitter:description') ?? ''));
  let language = primaryLanguage(walker.htmlLang);
  let languageSource: ExtractResult['languageSource'] = language ? 'html' : null;
  if (!language) {
    language = primaryLanguage(meta.get('content-language'));
    if (language) languageSource = 'meta';
  }
  if (!language) {
    language = detectLanguage(text);
    if (language) languageSource = 'detected';
  }

  const signals = computeSignals({
    title, description, headings: walker.headings, text, status,
    hasProduct: facts.product !== null, structuredPrice, notFree: facts.notFree, paywallHint: walker.paywallHint,
  });

  const result: ExtractResult = {
    charset: cs.charset,
    charsetSource: cs.source,
    mimeDetected: mime.mime,
    title,
    headline,
    description,
    canonicalUrl,
    language,
    languageSource,
    headings: walker.headings,
    text: '',
    wordCount: 0,
    links,
    product: facts.product,
    organization: facts.organization,
    article: facts.article,
    signals,
    textSha1: '',
    simhash: '',
    extractionFallback: fallback,
    anomalies: [...anomalies],
  };
  return finish(result, text, status);
}

/** Main text when there is enough of it, else the body text; never almost nothing from a page full of text. */
function pickText(walker: HtmlWalker): { sink: TextSink; fallback: string | null } {
  const { main, all, visible } = walker;
  const useMain = main.length >= MAIN_MIN_CHARS || (main.length > 0 && main.length >= all.length * 0.5);
  let sink = useMain ? main : all;
  let fallback: string | null = null;
  if (useMain && all.length >= FALLBACK_MIN_VISIBLE && main.length < all.length * MAIN_MIN_SHARE) {
    sink = all;
    fallback = 'main-too-short';
  }
  if (visible.length >= FALLBACK_MIN_VISIBLE && sink.length < visible.length * PICKED_MIN_SHARE) {
    // The boilerplate rules took nearly everything: the visible text of <main> when it is
    // substantial (a bug thread of "comments", a transcript in an <aside>), else the whole page.
    sink = walker.mainVisible.length >= Math.max(MAIN_MIN_CHARS, sink.length * 2) ? walker.mainVisible : visible;
    fallback = 'text-too-short';
  }
  return { sink, fallback };
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

function finish(result: ExtractResult, text: string, status: number | null): ExtractResult {
  result.text = text;
  const fp = fingerprint(text);
  result.wordCount = fp.wordCount;
  result.textSha1 = sha1Hex(text);
  result.simhash = fp.simhash;
  if (result.mimeDetected !== 'text/html' && result.mimeDetected !== 'application/xhtml+xml' && !result.language && text) {
    result.language = detectLanguage(text);
    result.languageSource = result.language ? 'detected' : null;
  }
  if (status !== null && result.signals.soft404 && (status < 200 || status >= 300)) result.signals.soft404 = false;
  return result;
}

function emptyResult(
  mime: string, charset: string, charsetSource: ExtractResult['charsetSource'], _status: number | null, anomalies: string[],
): ExtractResult {
  return {
    charset, charsetSource, mimeDetected: mime, title: null, headline: null, description: null, canonicalUrl: null,
    language: null, languageSource: null, headings: [], text: '', wordCount: 0, links: [],
    product: null, organization: null, article: null,
    signals: { buyIntent: 0, hasPrice: false, price: null, currency: null, paywall: false, soft404: false },
    textSha1: sha1Hex(''), simhash: simhash64(''), extractionFallback: null, anomalies,
  };
}

function nonEmpty(s: string | null | undefined): string | null {
  return s && s.trim() ? s : null;
}
