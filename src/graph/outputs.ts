import type { Column } from '../dataset/index.js';
import type { GraphLevel } from './levels.js';

const col = (name: string, type: Column['type'], doc: string): Column => ({ name, type, nullable: false, doc });

/**
 * The vertices table. The name column is `url` at page level and `host_rev` (Common Crawl's
 * reversed host or domain name) at host and domain level; domains also count their hosts.
 */
export function vertexColumns(level: GraphLevel): Column[] {
  return [
    col('id', 'INTEGER', 'vertex id: the position of the name in sorted order, from 0'),
    level === 'page' ? col('url', 'VARCHAR', 'page URL without fragment') : col('host_rev', 'VARCHAR', `${level} name with its labels reversed (com.example.www), as Common Crawl writes it`),
    ...(level === 'domain' ? [col('n_hosts', 'INTEGER', 'hosts of this domain seen in the runs')] : []),
    col('in_degree', 'INTEGER', 'distinct vertices linking here'),
    col('out_degree', 'INTEGER', 'distinct vertices linked from here'),
    col('pagerank', 'DOUBLE', 'PageRank (damping 0.85), all vertices sum to 1'),
    col('harmonic', 'DOUBLE', 'harmonic centrality: sum of 1/distance from every other vertex'),
    col('pagerank_pos', 'INTEGER', '1-based position by pagerank, highest first'),
    col('harmonic_pos', 'INTEGER', '1-based position by harmonic centrality, highest first'),
  ];
}

export const EDGE_COLUMNS: readonly Column[] = [
  col('from_id', 'INTEGER', 'vertex the links start from'),
  col('to_id', 'INTEGER', 'vertex they point to'),
  col('count', 'INTEGER', 'links (and redirects) merged into this edge'),
  col('nofollow', 'BOOLEAN', 'every one of them is nofollow'),
  col('nofollow_count', 'INTEGER', 'how many of them are nofollow'),
  col('redirect', 'BOOLEAN', 'one of them is a redirect (pages.fetch_redirect)'),
];
