/**
 * At most `limit` promises in flight: add() waits for a slot, so a batch never holds more than
 * `limit` rendered reports waiting for the printer. The first failure is kept and thrown by drain(),
 * after every task has settled (no print is left writing behind our back).
 */
export class BoundedTasks {
  readonly #limit: number;
  readonly #running = new Set<Promise<void>>();
  #error: { err: unknown } | null = null;

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  async add(task: Promise<unknown>): Promise<void> {
    const p: Promise<void> = task.then(
      () => {
        this.#running.delete(p);
      },
      (err: unknown) => {
        this.#running.delete(p);
        this.#error ??= { err };
      },
    );
    this.#running.add(p);
    while (this.#running.size >= this.#limit) await Promise.race(this.#running);
    if (this.#error) throw this.#error.err;
  }

  async drain(): Promise<void> {
    await Promise.all(this.#running);
    if (this.#error) throw this.#error.err;
  }
}
