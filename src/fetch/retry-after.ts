/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. A date is measured against the
 * response's own `Date` header when there is one, so a server whose clock is off still gets the
 * wait it asked for. Returns undefined for a missing or unreadable value.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number, serverDate?: string): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text), 365 * 24 * 3600) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  const ref = serverDate === undefined ? Number.NaN : Date.parse(serverDate);
  return Math.max(0, at - (Number.isNaN(ref) ? nowMs : ref));
}
