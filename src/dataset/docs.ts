// Prints docs/dataset.md: `node --import tsx src/dataset/docs.ts > docs/dataset.md`
import { renderDatasetDocs } from './docs-render.js';

process.stdout.write(renderDatasetDocs());
