import { JarvixError } from '../errors/index.js';
import type { SearchAction, SearchOptions } from './options.js';
import type { RunSearcher, SearchResponse } from './search-run.js';

export interface SearchHttpAnswer {
  status: number;
  body: SearchResponse | { error: { code: string; message: string } };
}

const PARAMS = ['q', 'limit', 'offset', 'host', 'action', 'from', 'to'];

/**
 * `GET /search?q=&limit=&offset=&host=&action=&from=&to=` without any server: the parameters in,
 * a status and a JSON-ready body out. Bad input (an unknown parameter, a malformed query, a bad
 * limit) is a 400 with the error's code and message; a run without an index a 404.
 */
export function searchHttp(searcher: RunSearcher, params: URLSearchParams): SearchHttpAnswer {
  try {
    for (const k of params.keys()) if (!PARAMS.includes(k)) return bad('JVX_ERR_OPTION_UNKNOWN', `unknown parameter ${k} (known: ${PARAMS.join(', ')})`);
    const q = params.get('q');
    if (q === null || q.trim() === '') return bad('JVX_ERR_SEARCH_QUERY_EMPTY', 'parameter q (the query) is missing');
    const o: Partial<SearchOptions> = {};
    const int = (name: 'limit' | 'offset'): void => {
      const v = params.get(name);
      if (v !== null) o[name] = /^\d{1,7}$/.test(v) ? Number(v) : (v as unknown as number);
    };
    int('limit');
    int('offset');
    const host = params.get('host');
    if (host !== null) o.host = host;
    const action = params.get('action');
    if (action !== null) o.action = action.toUpperCase() as SearchAction;
    for (const k of ['from', 'to'] as const) {
      const v = params.get(k);
      if (v !== null) o[k] = /^\d+$/.test(v) ? Number(v) : v;
    }
    return { status: 200, body: searcher.search(q, o) };
  } catch (err) {
    if (err instanceof JarvixError) return { status: err.code === 'JVX_ERR_SEARCH_INDEX_MISSING' ? 404 : err.code === 'JVX_ERR_SEARCH_INDEX_INVALID' ? 500 : 400, body: { error: { code: err.code, message: err.message } } };
    throw err;
  }
}

function bad(code: string, message: string): SearchHttpAnswer {
  return { status: 400, body: { error: { code, message } } };
}
