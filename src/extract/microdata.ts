/**
 * schema.org microdata (`itemscope`/`itemtype`/`itemprop`) collected during the streaming pass
 * and turned into JSON-LD-shaped objects, so one interpreter reads both.
 */
type Item = Record<string, unknown>;

interface Scope {
  item: Item;
  depth: number;
}

interface Capture {
  item: Item;
  prop: string;
  depth: number;
  buf: string;
}

const URL_PROPS: Record<string, string> = { a: 'href', link: 'href', area: 'href', img: 'src', audio: 'src', video: 'src', source: 'src', iframe: 'src', embed: 'src', object: 'data' };
const MAX_ITEMS = 100;
const MAX_SCOPES = 1000;
const MAX_VALUE_CHARS = 500;

export class MicrodataCollector {
  readonly items: Item[] = [];
  readonly #scopes: Scope[] = [];
  readonly #captures: Capture[] = [];
  #scopeCount = 0;

  open(name: string, attrs: Record<string, string>, depth: number): void {
    const prop = attrs.itemprop?.trim().split(/\s+/)[0];
    const parent = this.#scopes[this.#scopes.length - 1];
    if (attrs.itemscope !== undefined) {
      if (this.#scopeCount >= MAX_SCOPES) return;
      this.#scopeCount++;
      const item: Item = {};
      if (attrs.itemtype) item['@type'] = attrs.itemtype.trim().split(/\s+/);
      if (prop && parent) setProp(parent.item, prop, item);
      else if (this.items.length < MAX_ITEMS) this.items.push(item);
      this.#scopes.push({ item, depth });
      return;
    }
    if (!prop || !parent) return;
    const direct = attrs.content ?? (URL_PROPS[name] ? attrs[URL_PROPS[name]!] : undefined) ??
      (name === 'time' ? attrs.datetime : undefined) ?? (name === 'data' || name === 'meter' ? attrs.value : undefined);
    if (direct !== undefined) setProp(parent.item, prop, direct.trim().slice(0, MAX_VALUE_CHARS));
    else if (name !== 'meta') this.#captures.push({ item: parent.item, prop, depth, buf: '' });
  }

  text(data: string): void {
    const top = this.#captures[this.#captures.length - 1];
    if (top && top.buf.length < MAX_VALUE_CHARS) top.buf += data;
  }

  close(depth: number): void {
    const cap = this.#captures[this.#captures.length - 1];
    if (cap && cap.depth === depth) {
      this.#captures.pop();
      setProp(cap.item, cap.prop, cap.buf.replace(/\s+/g, ' ').trim().slice(0, MAX_VALUE_CHARS));
    }
    const scope = this.#scopes[this.#scopes.length - 1];
    if (scope && scope.depth === depth) this.#scopes.pop();
  }
}

function setProp(item: Item, prop: string, value: unknown): void {
  // First value wins: pages repeat itemprop (a struck-out old price after the real one is rarer than the reverse).
  if (!(prop in item) && Object.keys(item).length < 50) item[prop] = value;
}
