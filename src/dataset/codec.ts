import { Compressor, decompress } from 'zstd-napi';
import { JarvixError } from '../errors/index.js';

/**
 * ZSTD for parquet pages through the native zstd-napi addon: hyparquet-writer only ships snappy and
 * takes other codecs as plain functions. Level 3 (zstd's default) is the usual parquet choice:
 * close to level 9's size on crawled text at several times the speed.
 */
export const ZSTD_LEVEL = 3;

let compressor: Compressor | undefined;

export function zstdCompress(input: Uint8Array): Uint8Array {
  if (!compressor) {
    compressor = new Compressor();
    compressor.setParameters({ compressionLevel: ZSTD_LEVEL });
  }
  return compressor.compress(input);
}

/** The reader side (hyparquet): zstd frames carry their size, so the expected length is only checked. */
export function zstdDecompress(input: Uint8Array, outputLength: number): Uint8Array {
  const out = decompress(input);
  if (out.length !== outputLength) {
    throw new JarvixError('JVX_ERR_DATASET_CORRUPT', `zstd page decompressed to ${out.length} bytes, expected ${outputLength}`);
  }
  return out;
}

export const writeCompressors = { ZSTD: zstdCompress } as const;
export const readCompressors = { ZSTD: zstdDecompress } as const;
