/** One outgoing link, resolved against the page URL (and `<base href>`). */
export interface ExtractedLink {
  url: string;
  text: string;
  rel: string | null;
  nofollow: boolean;
}

export interface ProductInfo {
  name: string | null;
  price: number | null;
  currency: string | null;
}

export interface OrganizationInfo {
  name: string | null;
  url: string | null;
}

export interface ArticleInfo {
  published: string | null;
  modified: string | null;
}

export interface PageSignals {
  /** 0..1: buy-intent keywords, a product and a price on the page. */
  buyIntent: number;
  hasPrice: boolean;
  price: number | null;
  currency: string | null;
  paywall: boolean;
  soft404: boolean;
}

export interface ExtractResult {
  /** The charset the body was decoded with (WHATWG label, lower case). */
  charset: string;
  /** Where the charset came from. */
  charsetSource: 'bom' | 'header' | 'meta' | 'sniff' | 'default';
  mimeDetected: string;
  /** The raw `<title>` (or og:title without one). */
  title: string | null;
  /** The article's title without the site name, see headline.ts. */
  headline: string | null;
  description: string | null;
  canonicalUrl: string | null;
  /** Primary language subtag ("en", "de"), declared or detected; null when unknown. */
  language: string | null;
  languageSource: 'html' | 'meta' | 'detected' | null;
  headings: string[];
  text: string;
  wordCount: number;
  links: ExtractedLink[];
  product: ProductInfo | null;
  organization: OrganizationInfo | null;
  article: ArticleInfo | null;
  signals: PageSignals;
  /** sha1 (hex) of `text`. */
  textSha1: string;
  /** 64-bit simhash of `text` word shingles, 16 hex chars. */
  simhash: string;
  /** Null when the picked main text was used; else why the fuller text replaced it ('main-too-short', 'text-too-short'). */
  extractionFallback: string | null;
  /** Leniencies and limits hit while reading this page (counted, never printed). */
  anomalies: string[];
}

export interface ExtractInput {
  url: string;
  /** The body as delivered to the client: decompressed, still in its charset. */
  body: Uint8Array;
  contentType?: string | null;
  status?: number | null;
  /** Cap on `text` length (characters). */
  maxTextChars?: number;
  /** Only this many bytes of HTML are parsed; the rest is ignored (anomaly `html-truncated`). */
  maxHtmlBytes?: number;
}
