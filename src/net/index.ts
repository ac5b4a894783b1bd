export { createAgent, defaultNetOptions, PrivateAddressError } from './agent.js';
export type { JarvixAgent, NetOptions } from './agent.js';
export { parseResolveRule, matchResolveRule, ResolveRuleError } from './resolve-rules.js';
export type { ResolveRule } from './resolve-rules.js';
export { isPrivateAddress, isLoopbackAddress } from './address-guard.js';
