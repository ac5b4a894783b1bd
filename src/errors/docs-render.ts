import { ERROR_CODES, type ErrorCodeInfo } from './codes.js';

/** docs/errors.md, generated from the catalog so the page cannot drift from the code. */
export function renderErrorsDocs(): string {
  const lines = [
    '# Error codes',
    '',
    '<!-- Generated from src/errors/codes.ts: node --import tsx src/errors/docs.ts > docs/errors.md -->',
    '',
    'Every error jarvix reports carries a stable `JVX_ERR_<AREA>_<WHAT>` code: in messages, in the',
    '`error_code` column of `pages` and `errors`, and as `code` on the thrown `JarvixError`. Branch on',
    'the code, never on the message. A *refusal* is a URL never requested on purpose; it counts apart',
    'from failures. An *overload* code is one the pool reads as a sign the host or network is saturated.',
    '',
    '| code | kind | meaning |',
    '| --- | --- | --- |',
  ];
  for (const [code, info] of Object.entries(ERROR_CODES) as [string, ErrorCodeInfo][]) {
    const kind = info.refusal ? 'refusal' : info.overload ? 'overload' : '';
    lines.push(`| \`${code}\` | ${kind} | ${info.meaning.replace(/\|/g, '\\|')} |`);
  }
  return `${lines.join('\n')}\n`;
}
