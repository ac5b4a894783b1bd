export { extractPage } from './extract-page.js';
export { detectCharset, normalizeLabel } from './charset.js';
export { detectLanguage } from './language.js';
export { simhash64, hammingDistance, sha1Hex } from './simhash.js';
export { BUY_INTENT_PHRASES, PAYWALL_PHRASES } from './signals.js';
export type {
  ExtractInput, ExtractResult, ExtractedLink, ProductInfo, OrganizationInfo, ArticleInfo, PageSignals,
} from './types.js';
