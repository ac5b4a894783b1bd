import { InvalidOptionError, UnknownOptionError } from '../errors/index.js';

/**
 * Options at the boundary (piscina/p-queue style): callers pass `Partial<T>`, we merge one
 * defaults object, reject unknown keys, and run each field's check. A failed check throws
 * InvalidOptionError naming the option, the expectation and the value given.
 */
export type Check<V> = (value: unknown) => value is V;
export type Checks<T> = { [K in keyof T]-?: [check: Check<T[K]>, expected: string] };

export function resolveOptions<T extends object>(
  scope: string,
  defaults: T,
  checks: Checks<T>,
  given: Partial<T> | undefined,
): T {
  const out = { ...defaults };
  if (given === undefined) return out;
  const known = Object.keys(checks);
  for (const [key, value] of Object.entries(given)) {
    if (!known.includes(key)) throw new UnknownOptionError(`${scope}.${key}`, known);
    if (value === undefined) continue;
    const [check, expected] = checks[key as keyof T];
    if (!check(value)) throw new InvalidOptionError(`${scope}.${key}`, expected, value);
    (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

export const is = {
  int: (min = -Infinity, max = Infinity) =>
    ((v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max),
  number: (min = -Infinity, max = Infinity) =>
    ((v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max),
  string: ((v: unknown): v is string => typeof v === 'string'),
  nonEmptyString: ((v: unknown): v is string => typeof v === 'string' && v.length > 0),
  boolean: ((v: unknown): v is boolean => typeof v === 'boolean'),
  oneOf: <V extends string>(...values: V[]) => ((v: unknown): v is V => typeof v === 'string' && (values as string[]).includes(v)),
  stringArray: ((v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')),
  optional: <V>(check: Check<V>) => ((v: unknown): v is V | undefined => v === undefined || check(v)),
  any: <V>() => ((_v: unknown): _v is V => true),
};
