import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { JarvixError } from '../errors/index.js';
import { isPrivateAddress } from './address-guard.js';
import { matchResolveRule, type ResolveRule } from './resolve-rules.js';

export class PrivateAddressError extends JarvixError {
  readonly host: string;
  readonly address: string;
  constructor(host: string, address: string) {
    super('JVX_ERR_POLICY_PRIVATE_ADDRESS', `refusing to connect to ${host} at private/loopback address ${address} (pass --allow-private to allow)`);
    this.host = host;
    this.address = address;
  }
}

export interface NetOptions {
  /** `--resolve` rules, first match wins. */
  resolve: readonly ResolveRule[];
  /** Lift the SSRF guard against private, loopback and link-local addresses. */
  allowPrivate: boolean;
  connectTimeoutMs: number;
  /** Max sockets per origin; politeness usually keeps this at 1-2 anyway. */
  connectionsPerOrigin: number;
  keepAliveTimeoutMs: number;
}

export const defaultNetOptions: NetOptions = {
  resolve: [],
  allowPrivate: false,
  connectTimeoutMs: 10_000,
  connectionsPerOrigin: 4,
  keepAliveTimeoutMs: 30_000,
};

/**
 * An undici Agent whose connector applies `--resolve` rules and the SSRF guard after DNS.
 * `addressOf(host)` tells the last address a host was connected to (for WARC-IP-Address).
 */
export interface JarvixAgent {
  readonly dispatcher: Agent;
  addressOf(host: string): string | undefined;
  close(): Promise<void>;
}

export function createAgent(options: Partial<NetOptions> = {}): JarvixAgent {
  const opts = { ...defaultNetOptions, ...options };
  const addresses = new Map<string, string>();
  const remember = (host: string, address: string): void => {
    // Bounded: a long crawl touches many hosts; forget the oldest beyond 100k.
    if (addresses.size >= 100_000 && !addresses.has(host)) addresses.delete(addresses.keys().next().value as string);
    addresses.set(host, address);
  };

  const guardedLookup = (
    hostname: string,
    lookupOptions: { all?: boolean; family?: number },
    callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dnsLookup(hostname, { all: true, family: lookupOptions.family ?? 0 }, (err, list) => {
      if (err) return callback(err, '', 0);
      const usable = opts.allowPrivate ? list : list.filter((a) => !isPrivateAddress(a.address));
      if (usable.length === 0) {
        return callback(new PrivateAddressError(hostname, list[0]?.address ?? '?'), '', 0);
      }
      remember(hostname, usable[0]!.address);
      if (lookupOptions.all) return callback(null, usable);
      callback(null, usable[0]!.address, usable[0]!.family);
    });
  };

  const base = buildConnector({ timeout: opts.connectTimeoutMs, lookup: guardedLookup } as buildConnector.BuildOptions);
  const connector: buildConnector.connector = (connectOpts, callback) => {
    const rule = matchResolveRule(opts.resolve, connectOpts.hostname);
    let hostname = connectOpts.hostname;
    let port = connectOpts.port;
    if (rule) {
      hostname = rule.address;
      if (rule.port !== undefined) port = String(rule.port);
    }
    if (isIP(hostname)) {
      if (!opts.allowPrivate && isPrivateAddress(hostname)) {
        callback(new PrivateAddressError(connectOpts.hostname, hostname), null);
        return;
      }
      remember(connectOpts.hostname, hostname);
    }
    base(
      {
        ...connectOpts,
        hostname,
        port,
        servername: connectOpts.servername ?? (isIP(connectOpts.hostname) ? undefined : connectOpts.hostname) ?? null,
      } as buildConnector.Options,
      callback,
    );
  };

  const dispatcher = new Agent({
    connect: connector,
    connections: opts.connectionsPerOrigin,
    keepAliveTimeout: opts.keepAliveTimeoutMs,
    pipelining: 1,
  });

  return {
    dispatcher,
    addressOf: (host) => addresses.get(host.toLowerCase()),
    close: () => dispatcher.close(),
  };
}
