/** An append-only typed array that doubles when full: edge lists without a JS value per edge. */
type TypedArray = Int32Array | Uint32Array | Uint8Array | Float64Array;
type Ctor<T extends TypedArray> = new (length: number) => T;

export class Growable<T extends TypedArray> {
  #data: T;
  #length = 0;
  readonly #ctor: Ctor<T>;

  constructor(ctor: Ctor<T>, initialCapacity = 1024) {
    this.#ctor = ctor;
    this.#data = new ctor(Math.max(16, initialCapacity));
  }

  get length(): number {
    return this.#length;
  }

  push(value: number): void {
    if (this.#length === this.#data.length) this.reserve(this.#length + 1);
    this.#data[this.#length++] = value;
  }

  /** Counts `n` values written straight into `raw` (after reserve()) as appended. */
  advance(n: number): void {
    this.#length += n;
  }

  /** Room for `capacity` values without another copy. */
  reserve(capacity: number): void {
    if (capacity <= this.#data.length) return;
    let n = this.#data.length;
    while (n < capacity) n *= 2;
    const next = new this.#ctor(n);
    next.set(this.#data.subarray(0, this.#length) as never);
    this.#data = next;
  }

  /** The raw backing store; valid up to `length`, until the next push. */
  get raw(): T {
    return this.#data;
  }

  /** A right-sized copy; the growable is emptied so its buffer can be collected. */
  take(): T {
    const out = this.#data.slice(0, this.#length) as T;
    this.#data = new this.#ctor(16);
    this.#length = 0;
    return out;
  }
}
