import type { ChunkRow, LinkRow, PageRow } from '../dataset/index.js';

/** One fetched response, as the collector (or curate, reading a WARC) hands it over. */
export interface StageInput {
  /** Final URL of the response: links resolve against it. */
  url: string;
  /** Decoded body (content-encoding removed), still in its charset. */
  body: Uint8Array;
  contentType: string | null;
  status: number | null;
  /** JVX_ERR_* of the fetch when it failed for good, else null. */
  errorCode: string | null;
  /** Fetch attempts made (1 = first try succeeded). */
  attempts: number;
}

/** The pages columns the stages fill in. */
export type StageColumns = Pick<
  PageRow,
  | 'title' | 'headline' | 'extraction_fallback' | 'description' | 'canonical_url' | 'language' | 'content_languages' | 'content_charset' | 'content_mime_detected'
  | 'word_count' | 'outlink_count' | 'text_sha1' | 'simhash' | 'has_price' | 'price' | 'currency' | 'buy_intent' | 'paywall'
  | 'soft_404' | 'quality' | 'score' | 'action' | 'confidence' | 'reason'
>;

export interface DeadLetter {
  /** Pipeline stage that gave up: extract, chunk, score (or extract for a worker that hung or died). */
  stage: string;
  errorCode: string;
  message: string;
}

export interface StageSuccess {
  columns: StageColumns;
  links: Omit<LinkRow, 'src_url'>[];
  chunks: Omit<ChunkRow, 'url'>[];
  /** Links to follow: unique, absolute, without the nofollow ones. */
  extract: { links: { url: string }[] };
  /** Leniencies and limits hit on this page (extract anomalies), for counters. */
  anomalies: string[];
  deadLetter?: undefined;
}

export interface StageFailure {
  deadLetter: DeadLetter;
  columns?: undefined;
  links?: undefined;
  chunks?: undefined;
  extract?: undefined;
  anomalies?: undefined;
}

export type StageResult = StageSuccess | StageFailure;
