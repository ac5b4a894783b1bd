import { describe, expect, it } from 'vitest';
import { BATCH_DEFAULTS, batchConfigFromEnv } from '../../../src/observe/tracing.js';

describe('batchConfigFromEnv: the OTEL_BSP_* variables of the batching span processor', () => {
  it('exports every 100 ms by default, and takes the spec variables when set', () => {
    expect(batchConfigFromEnv({})).toEqual(BATCH_DEFAULTS);
    expect(BATCH_DEFAULTS.scheduledDelayMillis).toBe(100);
    expect(batchConfigFromEnv({ OTEL_BSP_SCHEDULE_DELAY: '5000', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '64', OTEL_BSP_MAX_QUEUE_SIZE: '256', OTEL_BSP_EXPORT_TIMEOUT: ' 1000 ' })).toEqual({
      scheduledDelayMillis: 5000,
      maxExportBatchSize: 64,
      maxQueueSize: 256,
      exportTimeoutMillis: 1000,
    });
    // A small queue lowers the default batch with it.
    expect(batchConfigFromEnv({ OTEL_BSP_MAX_QUEUE_SIZE: '100' }).maxExportBatchSize).toBe(100);
  });

  it('refuses what is not a count, naming the variable', () => {
    for (const [variable, value] of [
      ['OTEL_BSP_SCHEDULE_DELAY', 'soon'],
      ['OTEL_BSP_SCHEDULE_DELAY', '-1'],
      ['OTEL_BSP_MAX_EXPORT_BATCH_SIZE', '0'],
      ['OTEL_BSP_MAX_QUEUE_SIZE', '1.5'],
      ['OTEL_BSP_EXPORT_TIMEOUT', '0'],
    ] as const) {
      expect(() => batchConfigFromEnv({ [variable]: value }), `${variable}=${value}`).toThrow(expect.objectContaining({ code: 'JVX_ERR_OBSERVE_OTEL_CONFIG', variable }));
    }
    expect(() => batchConfigFromEnv({ OTEL_BSP_MAX_QUEUE_SIZE: '10', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '20' })).toThrow(
      expect.objectContaining({ code: 'JVX_ERR_OBSERVE_OTEL_CONFIG', variable: 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE' }),
    );
  });
});
