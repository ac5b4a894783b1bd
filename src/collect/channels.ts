import { setTimeout as sleep } from 'node:timers/promises';
import { jarvixChannel } from '../channels/index.js';
import type { Frontier } from '../frontier/types.js';

/**
 * What collect itself publishes for observe/ (names and payloads: src/channels/catalog.ts). Core
 * code never imports a metrics or tracing library; without subscribers these cost a boolean check.
 */
const politenessStart = jarvixChannel('politenessStart');
const politenessEnd = jarvixChannel('politenessEnd');
const frontierSizes = jarvixChannel('frontierSizes');
const deadLetter = jarvixChannel('deadLetter');
let lastWaitId = 0;

/** Waits a host's politeness delay, announcing it (`url` is the leased URL, also for redirect hops). */
export async function politenessWait(url: string, host: string, delayMs: number): Promise<void> {
  if (!politenessStart.hasSubscribers && !politenessEnd.hasSubscribers) return void (await sleep(delayMs));
  const id = ++lastWaitId;
  const started = performance.now();
  politenessStart.publish({ id, url, host, delayMs });
  await sleep(delayMs);
  politenessEnd.publish({ id, url, host, waitedMs: performance.now() - started });
}

/**
 * Announces a politeness wait that happens outside the task (a deferred lease); the returned
 * function announces its end. Without subscribers both are no-ops.
 */
export function beginPolitenessWait(url: string, host: string, delayMs: number): () => void {
  if (!politenessStart.hasSubscribers && !politenessEnd.hasSubscribers) return () => {};
  const id = ++lastWaitId;
  const started = performance.now();
  politenessStart.publish({ id, url, host, delayMs });
  return () => politenessEnd.publish({ id, url, host, waitedMs: performance.now() - started });
}

export async function publishFrontierSizes(frontier: Frontier, failed: number): Promise<void> {
  if (!frontierSizes.hasSubscribers) return;
  const c = await frontier.counts();
  frontierSizes.publish({ pending: c.pending, leased: c.leased, done: c.done, failed });
}

export function publishDeadLetter(url: string, stage: string, errorCode: string, message: string): void {
  if (deadLetter.hasSubscribers) deadLetter.publish({ url, stage, errorCode, message });
}
