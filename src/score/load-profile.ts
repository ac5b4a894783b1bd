import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ScoreProfileError } from './errors.js';
import { validateProfile, type ScoringProfile } from './profile.js';

/** Reads a scoring profile from a `.json`, `.yaml` or `.yml` file and validates it. */
export async function loadProfile(file: string): Promise<ScoringProfile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ScoreProfileError('', `cannot read: ${(err as Error).message}`, file, err);
  }
  return parseProfile(text, file);
}

/** Parses profile text: JSON when the file name ends in .json (or the text starts with `{`), YAML otherwise. */
export function parseProfile(text: string, source: string | null = null): ScoringProfile {
  let value: unknown;
  const json = source?.toLowerCase().endsWith('.json') ?? text.trimStart().startsWith('{');
  try {
    value = json ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ScoreProfileError('', `not valid ${json ? 'JSON' : 'YAML'}: ${(err as Error).message}`, source, err);
  }
  return validateProfile(value, source);
}
