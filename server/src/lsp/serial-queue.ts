/**
 * Runs jobs one at a time, coalescing repeated requests for the same key: a burst of edits to one
 * document analyses only its latest text, and no analysis sees a tree that a newer edit freed.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  private readonly pending = new Set<string>();

  constructor(private readonly onError: (key: string, error: unknown) => void) {}

  /** Queues `job` for `key` unless a job for it is already waiting (it will see the latest state). */
  run(key: string, job: () => Promise<void>): Promise<void> {
    if (this.pending.has(key)) return this.tail;
    this.pending.add(key);
    this.tail = this.tail.then(async () => {
      this.pending.delete(key);
      try {
        await job();
      } catch (error) {
        this.onError(key, error);
      }
    });
    return this.tail;
  }

  /** Resolves when every queued job has run. */
  idle(): Promise<void> {
    return this.tail;
  }
}
