/**
 * One byte-level form for robots.txt patterns and request paths, so they compare as RFC 9309
 * §2.2.2 asks: non-ASCII and unsafe octets percent-encoded, hex digits uppercase, and
 * percent-encoded unreserved characters (`%62` → `b`) decoded, both sides alike. Reserved
 * characters (`/`, `?`, `:`, `=`...) keep whatever form they had: encoding them changes meaning.
 */
const HEX = '0123456789ABCDEF';
const UNRESERVED = /[A-Za-z0-9\-._~]/;

function isHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

function mustEncode(code: number): boolean {
  // C0 controls, space, DEL and the characters WHATWG encodes in paths; the rest stays literal.
  return code <= 0x20 || code === 0x7f || code === 0x22 || code === 0x3c || code === 0x3e || code === 0x60 || code === 0x7b || code === 0x7d;
}

export function normalizeRobotsPath(input: string): string {
  // Fast path: plain ASCII with nothing to fix, the common case for both patterns and paths.
  let clean = true;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c === 0x25 || c > 0x7e || mustEncode(c)) {
      clean = false;
      break;
    }
  }
  if (clean) return input;
  let out = '';
  const bytes = Buffer.from(input, 'utf8');
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x25 && i + 2 < bytes.length && isHex(bytes[i + 1]!) && isHex(bytes[i + 2]!)) {
      const value = parseInt(String.fromCharCode(bytes[i + 1]!, bytes[i + 2]!), 16);
      const ch = String.fromCharCode(value);
      out += UNRESERVED.test(ch) ? ch : `%${HEX[value >> 4]}${HEX[value & 15]}`;
      i += 2;
    } else if (b > 0x7e || mustEncode(b)) {
      out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
    } else {
      out += String.fromCharCode(b);
    }
  }
  return out;
}
