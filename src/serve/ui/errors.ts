import { ServeError } from '../errors.js';

/** A UI parameter that is not what the view accepts (answered 400, naming the parameter). */
export class UiBadParamError extends ServeError {
  constructor(name: string, expected: string, got: string) {
    super('JVX_ERR_UI_BAD_PARAM', 400, `parameter ${name} must be ${expected}, got ${JSON.stringify(got.slice(0, 200))}`);
  }
}

/** A run that this server does not serve (answered 404, naming the run). */
export class UiRunNotServedError extends ServeError {
  constructor(run: string) {
    super('JVX_ERR_UI_RUN_NOT_SERVED', 404, `run ${JSON.stringify(run.slice(0, 200))} is not served here (start jarvix serve with --run ${run.slice(0, 200)})`);
  }
}

const int = (name: string, v: string | null, min: number, max: number, fallback: number): number => {
  if (v === null || v === '') return fallback;
  const n = Number(v);
  if (!/^\d{1,9}$/.test(v) || n < min || n > max) throw new UiBadParamError(name, `an integer ${min}..${max}`, v);
  return n;
};

/** Paging parameters: `limit` 1..500 (default 50), `offset` 0..1,000,000. */
export function paging(q: URLSearchParams, fallback = 50): { limit: number; offset: number } {
  return { limit: int('limit', q.get('limit'), 1, 500, fallback), offset: int('offset', q.get('offset'), 0, 1_000_000, 0) };
}

/** A required URL parameter (absolute http/https). */
export function urlParam(q: URLSearchParams, name = 'url'): string {
  const v = q.get(name);
  if (v === null || !/^https?:\/\/\S+$/i.test(v.trim())) throw new UiBadParamError(name, 'an absolute http(s) URL', v ?? '');
  return v.trim();
}

export { int as intParam };
