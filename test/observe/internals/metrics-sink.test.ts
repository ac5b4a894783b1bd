import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/observe/metrics.js';
import { metricsHandlers } from '../../../src/observe/metrics-sink.js';
import { metricValue } from '../harness.js';

describe('metrics sink: per-page updates wait for the scrape', () => {
  it('counts every fetch, hop and archive write at the next refresh, past the pending buffer size too', async () => {
    const registry = new Registry();
    const m = createMetrics([registry]);
    const { handlers, refresh } = metricsHandlers(m, { topHosts: 3 });
    const n = 10_000; // more than one pending buffer (4,096) of each histogram
    for (let i = 0; i < n; i++) {
      const url = `http://h${i % 7}.test/p/${i}`;
      handlers.fetchStart!({ id: i, url, method: 'GET' }, i);
      handlers.fetchHop!({ id: i, url, hop: 0, status: i % 10 === 0 ? 404 : 200, bytes: 2048, durationMs: 5 } as never, i);
      handlers.warcWriteStart!({ id: i, url } as never, i);
      handlers.warcWriteEnd!({ id: i, url, bytes: 100, revisit: false, file: 'a.warc.gz', errorCode: null } as never, i + 0.5);
      if (i < n - 5) handlers.fetchEnd!({ id: i, url, finalUrl: url, status: i % 10 === 0 ? 404 : 200, errorCode: null, hops: 1, durationMs: 20, truncated: null } as never, i + 1);
    }
    refresh();
    const text = await registry.metrics();
    const ended = n - 5;
    const notFound = Math.ceil(ended / 10); // i = 0, 10, … below `ended`
    expect(metricValue(text, 'jarvix_fetches_total', { status_class: '2xx' })).toBe(ended - notFound);
    expect(metricValue(text, 'jarvix_fetches_total', { status_class: '4xx', error_code: 'none' })).toBe(notFound);
    expect(metricValue(text, 'jarvix_http_requests_total')).toBe(n);
    expect(metricValue(text, 'jarvix_fetches_in_flight')).toBe(5);
    expect(metricValue(text, 'jarvix_fetch_duration_seconds_count')).toBe(ended);
    expect(metricValue(text, 'jarvix_http_response_body_bytes_count')).toBe(n);
    expect(metricValue(text, 'jarvix_http_response_body_bytes_bucket', { le: '4096' })).toBe(n);
    expect(metricValue(text, 'jarvix_warc_exchanges_written_total', { type: 'response' })).toBe(n);
    expect(metricValue(text, 'jarvix_warc_bytes_written_total')).toBe(n * 100);
    expect(metricValue(text, 'jarvix_warc_write_seconds_count')).toBe(n);
    // A second refresh adds nothing twice.
    refresh();
    expect(metricValue(await registry.metrics(), 'jarvix_http_requests_total')).toBe(n);
  });
});
