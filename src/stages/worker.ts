import { workerData } from 'piscina';
import { analysePage } from './analyse-page.js';
import type { StageSettings } from './settings.js';
import type { StageInput, StageResult } from './types.js';

/** What the pool sends: a batch of pages (batching saves the 25-80 µs of a message per page). */
export interface WorkerTask {
  items: StageInput[];
}

// Settings arrive once, with the worker, not with every batch.
const settings = (workerData as { settings: StageSettings }).settings;

export default function runBatch(task: WorkerTask): StageResult[] {
  const out: StageResult[] = [];
  for (const item of task.items) out.push(analysePage(item, settings));
  return out;
}
