/**
 * Group commit for one kind of statement: the first call is sent at once; calls that arrive while
 * a statement of this kind is in flight wait and are sent together in the next one. An idle
 * process pays no added latency and there are no timers; under a burst, a statement carries
 * everything that arrived during the previous one, so statements per call fall as load rises.
 */
export interface CoalesceOptions<Item> {
  /** Two items sharing a key never go in one statement: the later one waits for the next. */
  keys?: (item: Item) => readonly string[];
  /** How much an item weighs against maxWeight (1 by default). */
  weight?: (item: Item) => number;
  /** A statement carries at most this weight, unless a single item weighs more. */
  maxWeight?: number;
}

interface Waiter<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

interface Batch<Item, Result> {
  waiters: Waiter<Item, Result>[];
  keys: Set<string>;
  weight: number;
}

export class Coalescer<Item, Result> {
  private readonly waiting: Batch<Item, Result>[] = [];
  private sending = false;

  /**
   * `send` runs one statement for the items, in the order they arrived, and returns one result
   * per item in that order; when it throws, every item of its batch fails with that error.
   */
  constructor(
    private readonly send: (items: Item[]) => Promise<Result[]>,
    private readonly options: CoalesceOptions<Item> = {},
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      const keys = this.options.keys?.(item) ?? [];
      const weight = this.options.weight?.(item) ?? 1;
      // Only the last batch takes newcomers, so statements go out in arrival order.
      let batch = this.waiting.at(-1);
      if (!batch || batch.weight + weight > (this.options.maxWeight ?? Infinity) || keys.some((key) => batch!.keys.has(key))) {
        batch = { waiters: [], keys: new Set(), weight: 0 };
        this.waiting.push(batch);
      }
      batch.waiters.push({ item, resolve, reject });
      for (const key of keys) batch.keys.add(key);
      batch.weight += weight;
      if (!this.sending) this.sendNext();
    });
  }

  private sendNext(): void {
    const batch = this.waiting.shift();
    this.sending = batch !== undefined;
    if (!batch) return;
    const { waiters } = batch;
    this.send(waiters.map((waiter) => waiter.item))
      .then(
        (results) => waiters.forEach((waiter, index) => waiter.resolve(results[index]!)),
        (error: unknown) => waiters.forEach((waiter) => waiter.reject(error)),
      )
      .finally(() => this.sendNext());
  }
}
