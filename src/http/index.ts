export { BodyCollector, bodyFromBuffer, emptyBody } from './body.js';
export type { BodySource } from './body.js';
export { decodeContent, parseContentEncoding, ContentDecodingError, UnsupportedEncodingError } from './content-decoding.js';
export type { DecodedBody } from './content-decoding.js';
export { headerValue } from './exchange.js';
export type { HttpExchange } from './exchange.js';
