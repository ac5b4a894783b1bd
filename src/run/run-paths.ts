import { join, resolve } from 'node:path';

/** The run folder layout (docs/design.md, "Run folder"). One place knows the names. */
export interface RunPaths {
  readonly id: string;
  readonly root: string;
  readonly manifest: string;
  readonly state: string;
  readonly warcDir: string;
  readonly indexDir: string;
  readonly pagesDir: string;
  readonly linksDir: string;
  readonly chunksDir: string;
  readonly errorsDir: string;
  readonly reportsDir: string;
}

export function runPaths(dataDir: string, runId: string): RunPaths {
  const root = resolve(dataDir, 'runs', runId);
  return {
    id: runId,
    root,
    manifest: join(root, 'run.json'),
    state: join(root, 'state.sqlite'),
    warcDir: join(root, 'warc'),
    indexDir: join(root, 'index'),
    pagesDir: join(root, 'pages'),
    linksDir: join(root, 'links'),
    chunksDir: join(root, 'chunks'),
    errorsDir: join(root, 'errors'),
    reportsDir: join(root, 'reports'),
  };
}
