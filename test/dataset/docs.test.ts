import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { TABLE_COLUMNS, TABLE_NAMES } from '../../src/dataset/index.js';
import { renderDatasetDocs } from '../../src/dataset/docs-render.js';

describe('docs/dataset.md', () => {
  it('is what src/dataset/docs.ts generates from schema.ts (regenerate: node --import tsx src/dataset/docs.ts > docs/dataset.md)', async () => {
    const onDisk = await readFile(new URL('../../docs/dataset.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderDatasetDocs());
    for (const t of TABLE_NAMES) for (const c of TABLE_COLUMNS[t]) expect(onDisk).toContain(`| \`${c.name}\` | ${c.type} |`);
  });
});
