/**
 * Reads the next page from a source while the caller works on this one: the source's latency and
 * Kafka's transaction round trips overlap instead of adding up. What is read, and in which order,
 * stays the same.
 */
export class ReadAhead<T> {
  private ahead: Promise<IteratorResult<T>>;

  constructor(private readonly pages: AsyncIterator<T>) {
    this.ahead = this.fetch();
  }

  /** The next page, or undefined once the source is exhausted. */
  async next(): Promise<T | undefined> {
    const step = await this.ahead;
    if (step.done === true) return undefined;
    this.ahead = this.fetch();
    return step.value;
  }

  /** Closes the source's reader once the page read ahead (if any) has settled. */
  async close(): Promise<void> {
    await this.ahead.catch(() => undefined);
    await this.pages.return?.().catch(() => undefined);
  }

  /** Closes the source's reader without waiting: a read-ahead stuck in retries must not hold back an error. */
  abandon(): void {
    void this.pages.return?.().catch(() => undefined);
  }

  private fetch(): Promise<IteratorResult<T>> {
    const next = this.pages.next();
    // A read-ahead that fails while the caller works is rethrown when awaited, never unhandled.
    next.catch(() => undefined);
    return next;
  }
}
