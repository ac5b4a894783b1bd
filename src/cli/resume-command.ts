/**
 * The command that resumes a run, pasteable into a POSIX shell: the user's own arguments, with
 * `--run ID` added when the run id was generated (a `jarvix run` without --run would otherwise
 * start a new run and fetch everything again).
 */
export function resumeCommand(args: readonly string[], runId: string): string {
  const out = ['jarvix', ...args.map(shellQuote)];
  if (!args.some((a) => a === '--run' || a.startsWith('--run='))) out.push('--run', shellQuote(runId));
  // --fresh would start over, not resume.
  return out.filter((a) => a !== '--fresh').join(' ');
}

export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_/.:,=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
