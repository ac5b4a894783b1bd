import { parsePrice } from './structured-data.js';

/**
 * Keyword lists behind the signals (documented in docs/scoring.md). Lower-case phrases,
 * matched on word boundaries in title + description + headings + the first 20k chars of text.
 */
export const BUY_INTENT_PHRASES = [
  'buy now', 'add to cart', 'add to basket', 'add to bag', 'in stock', 'out of stock', 'checkout', 'free shipping',
  'free delivery', 'order now', 'shop now', 'buy', 'purchase', 'pricing', 'price', 'sale', 'discount', 'coupon',
  'deal', 'offer', 'subscribe now', 'get a quote', 'request a quote', 'free trial', 'per month', 'warranty',
  'in den warenkorb', 'jetzt kaufen', 'kaufen', 'preis', 'ajouter au panier', 'acheter', 'prix', 'comprar',
  'añadir al carrito', 'precio', 'aggiungi al carrello', 'acquista', 'prezzo', 'in winkelwagen', 'kopen', 'prijs',
];

export const PAYWALL_PHRASES = [
  'subscribe to continue', 'subscribe to read', 'subscribers only', 'subscriber-only', 'for subscribers',
  'to continue reading', 'continue reading with', 'already a subscriber', 'sign in to read', 'log in to read',
  'become a member to read', 'members only', 'unlock this article', 'premium content', 'this content is for subscribers',
  'you have reached your limit', 'free articles remaining', 'paywall', 'jetzt abonnieren', 'nur für abonnenten',
  'réservé aux abonnés', 'solo para suscriptores', 'riservato agli abbonati',
];

const SOFT_404_TITLE = /\b(404|not found|page not found|page (does not|doesn't|cannot be|can't be) (exist|found)|no longer (available|exists)|nicht gefunden|introuvable|no encontrada|non trovata|niet gevonden|não encontrada)\b/i;
const SOFT_404_TEXT = /\b(page (you('re| are) looking for|you requested) (does not|doesn't|could not|can't|cannot|was not|is no longer)|page not found|error 404|404 error|seite (wurde )?nicht gefunden|page introuvable|página no encontrada)\b/i;

const SCAN_CHARS = 20_000;

function phraseRegex(phrases: string[]): RegExp {
  const escaped = phrases.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'));
  return new RegExp(`(?<![\\p{L}\\p{N}])(${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
}

const BUY_RE = phraseRegex(BUY_INTENT_PHRASES);
const PAYWALL_RE = phraseRegex(PAYWALL_PHRASES);
const PRICE_NUM = String.raw`(\d{1,3}(?:[.,\s]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)`;
// Letter codes need word edges: "Leur 49" is French, not 49 EUR.
const TEXT_PRICE_RE = new RegExp(
  String.raw`(?:([$€£¥]|(?<![\p{L}\p{N}])(?:usd|eur|gbp|chf))\s?${PRICE_NUM}(?![\d.,]*\d))` +
    String.raw`|(?:(?<![\p{L}\p{N}.,])${PRICE_NUM}\s?([$€£¥]|(?:usd|eur|gbp|chf)(?![\p{L}])))`,
  'iu',
);
const SYMBOL_CURRENCY: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY' };

export interface SignalInputs {
  title: string | null;
  description: string | null;
  headings: string[];
  text: string;
  status: number | null;
  hasProduct: boolean;
  structuredPrice: { price: number; currency: string | null } | null;
  notFree: boolean;
  paywallHint: boolean;
}

export function computeSignals(inp: SignalInputs): {
  buyIntent: number; hasPrice: boolean; price: number | null; currency: string | null; paywall: boolean; soft404: boolean;
} {
  const head = [inp.title ?? '', inp.description ?? '', ...inp.headings].join('\n');
  const scan = `${head}\n${inp.text.slice(0, SCAN_CHARS)}`;
  const hits = new Set<string>();
  for (const m of scan.matchAll(BUY_RE)) {
    hits.add(m[0].toLowerCase().replace(/\s+/g, ' '));
    if (hits.size >= 8) break;
  }
  let price = inp.structuredPrice?.price ?? null;
  let currency = inp.structuredPrice?.currency ?? null;
  if (price === null) {
    const m = TEXT_PRICE_RE.exec(scan);
    if (m) {
      price = parsePrice(m[2] ?? m[3]);
      const sym = (m[1] ?? m[4] ?? '').toLowerCase();
      currency = SYMBOL_CURRENCY[sym] ?? (sym ? sym.toUpperCase() : null);
    }
  }
  const hasPrice = price !== null;
  // Keywords alone are weak (a blog post says "buy"); a product with a price is the strong signal.
  const buyIntent = Math.min(1, 0.5 * Math.min(1, hits.size / 4) + 0.3 * (hasPrice ? 1 : 0) + 0.2 * (inp.hasProduct ? 1 : 0));
  PAYWALL_RE.lastIndex = 0;
  const paywall = inp.notFree || inp.paywallHint || PAYWALL_RE.test(scan);
  const soft404 = isSoft404(inp);
  return { buyIntent: Math.round(buyIntent * 1000) / 1000, hasPrice, price, currency, paywall, soft404 };
}

function isSoft404(inp: SignalInputs): boolean {
  if (inp.status !== null && (inp.status < 200 || inp.status >= 300)) return false;
  const heading = inp.headings[0] ?? '';
  if (SOFT_404_TITLE.test(inp.title ?? '') || SOFT_404_TITLE.test(heading)) return true;
  // A long page that mentions "page not found" somewhere is an article about errors, not an error page.
  return inp.text.length < 2000 && SOFT_404_TEXT.test(inp.text);
}
