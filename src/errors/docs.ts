// Prints docs/errors.md: `node --import tsx src/errors/docs.ts > docs/errors.md`
import { renderErrorsDocs } from './docs-render.js';

process.stdout.write(renderErrorsDocs());
