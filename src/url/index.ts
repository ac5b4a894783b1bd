export { normalizeUrl, redactCredentials, hasCredentials } from './normalize.js';
export { hostKey, registeredDomain } from './host.js';
export { buildUserAgent } from './user-agent.js';
export { UrlError } from './url-error.js';
