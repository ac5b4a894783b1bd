/** WARC-Date with millisecond precision (WARC/1.1 allows fractional seconds). */
export function warcDate(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** The 14-digit `yyyyMMddHHmmss` timestamp of CDX files. */
export function timestamp14(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** `yyyyMMddHHmmssSSS`, used in file names so they sort by time. */
export function timestamp17(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[-:T.Z]/g, '').slice(0, 17);
}

/**
 * Lenient WARC-Date parsing: ISO 8601 with or without fractional seconds or `Z`, 14-digit and
 * shorter CDX timestamps, RFC 1123 dates. Returns epoch ms, or undefined when nothing fits.
 */
export function parseWarcDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  const digits = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{1,3})?$/.exec(v);
  if (digits) {
    const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', ms = '0'] = digits;
    return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms.padEnd(3, '0')));
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(v);
  if (iso) {
    const [, y, mo, d, h, mi, s = '0', frac = '0', tz] = iso;
    let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.slice(0, 3).padEnd(3, '0')));
    if (tz && tz.toUpperCase() !== 'Z') {
      const sign = tz.startsWith('-') ? -1 : 1;
      const t = tz.slice(1).replace(':', '');
      ms -= sign * (Number(t.slice(0, 2)) * 60 + Number(t.slice(2, 4))) * 60_000;
    }
    return Number.isFinite(ms) ? ms : undefined;
  }
  const parsed = Date.parse(v);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** Whether a WARC-Date is in the strict WARC/1.1 form (`YYYY-MM-DDThh:mm:ss[.s+]Z`). */
export function isStrictWarcDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/.test(value);
}
