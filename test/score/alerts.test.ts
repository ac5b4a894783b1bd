import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetWriter, pageRowBase, type PageRow } from '../../src/dataset/index.js';
import { computeAlerts, queryAlertAggregates, runAlerts, type RunAggregates } from '../../src/score/index.js';
import { tempDir } from '../helpers/tmp.js';

const host = (name: string, o: Partial<RunAggregates['hosts'][number]> = {}) => ({ host: name, pages: 20, scored: 20, soft404: 0, failed: 0, ...o });

describe('alerts from aggregates', () => {
  it('raises nothing on a healthy run', () => {
    expect(computeAlerts({ pages: 60, scored: 60, lowQuality: 5, hosts: [host('a.test', { soft404: 1 }), host('b.test'), host('c.test', { failed: 2 })] })).toEqual([]);
  });

  it('flags a low-quality run, a soft-404 spike on one host and a host failing', () => {
    const alerts = computeAlerts({
      pages: 60,
      scored: 60,
      lowQuality: 40,
      hosts: [host('a.test', { soft404: 10 }), host('b.test', { soft404: 1 }), host('c.test', { failed: 19, scored: 1 })],
    });
    expect(alerts.map((a) => [a.kind, a.host, a.severity])).toEqual([
      ['host_error_spike', 'c.test', 'critical'],
      ['low_quality_share', null, 'warning'],
      ['soft_404_spike', 'a.test', 'warning'],
    ]);
    const lq = alerts.find((a) => a.kind === 'low_quality_share')!;
    expect(lq.value).toBeCloseTo(40 / 60);
    expect(lq.threshold).toBe(0.5);
    expect(lq.message).toContain('40 of 60');
  });

  it('a soft-404 share the whole run shares is no spike; small hosts raise nothing', () => {
    const everywhere = computeAlerts({ pages: 60, scored: 60, lowQuality: 0, hosts: [host('a.test', { soft404: 6 }), host('b.test', { soft404: 6 }), host('c.test', { soft404: 5 })] });
    expect(everywhere).toEqual([]);
    const tiny = computeAlerts({ pages: 5, scored: 5, lowQuality: 0, hosts: [host('a.test', { pages: 5, scored: 5, soft404: 5, failed: 5 })] });
    expect(tiny).toEqual([]);
    expect(computeAlerts({ pages: 5, scored: 5, lowQuality: 0, hosts: [host('a.test', { pages: 5, scored: 5, soft404: 5 })] }, { minHostPages: 5 })).toHaveLength(1);
  });

  it('rejects a bad threshold naming it', () => {
    expect(() => computeAlerts({ pages: 0, scored: 0, lowQuality: 0, hosts: [] }, { soft404Share: 2 })).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_INVALID', option: 'alerts.soft404Share' }));
  });
});

describe('alert aggregates in DuckDB', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };

  beforeAll(async () => {
    tmp = await tempDir();
    const rows: PageRow[] = [];
    const page = (url: string, o: Partial<PageRow>): PageRow => ({ ...pageRowBase(url), fetch_status: 200, ...o });
    // a.test: 20 scored pages, half soft-404 (quality 0.1); b.test: 10 fine, 8 timeouts, 2 robots refusals.
    for (let i = 0; i < 20; i++) rows.push(page(`http://a.test/${i}`, { quality: i % 2 ? 0.1 : 0.9, soft_404: i % 2 === 1 }));
    for (let i = 0; i < 10; i++) rows.push(page(`http://b.test/ok${i}`, { quality: 0.8, soft_404: false }));
    for (let i = 0; i < 8; i++) rows.push(page(`http://b.test/t${i}`, { fetch_status: null, error_code: 'JVX_ERR_FETCH_TIMEOUT_TOTAL' }));
    for (let i = 0; i < 2; i++) rows.push(page(`http://b.test/r${i}`, { fetch_status: null, error_code: 'JVX_ERR_ROBOTS_DISALLOWED' }));
    const writer = await DatasetWriter.open({ runDir: tmp.dir, worker: 'w0' });
    writer.append('pages', rows);
    await writer.publish((await writer.stage(1)).shards);
    await writer.close();
  });
  afterAll(async () => {
    await tmp?.cleanup();
  });

  it('counts per run and per host from the pages table', async () => {
    const agg = await queryAlertAggregates(tmp.dir);
    expect(agg).toEqual({
      pages: 40,
      scored: 30,
      lowQuality: 10,
      hosts: [
        { host: 'a.test', pages: 20, scored: 20, soft404: 10, failed: 0 },
        { host: 'b.test', pages: 20, scored: 10, soft404: 0, failed: 8 },
      ],
    });
    const alerts = await runAlerts(tmp.dir, { lowQualityShare: 0.3 });
    expect(alerts.map((a) => [a.kind, a.host])).toEqual([
      ['host_error_spike', 'b.test'],
      ['low_quality_share', null],
      ['soft_404_spike', 'a.test'],
    ]);
    expect(alerts.find((a) => a.kind === 'host_error_spike')!.value).toBeCloseTo(0.4);
  });
});
