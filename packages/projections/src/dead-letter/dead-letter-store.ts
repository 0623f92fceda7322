/** An event a projection could not apply, parked with the error after its retries. */
export type DeadLetter = {
  /** The projection (for partitioned projections, the projection's name, not the partition). */
  projection: string;
  /** Global position of the event (replay reads it back from the event store). */
  position: number;
  streamId: string;
  eventId: string;
  type: string;
  /** The last error: name, message and Strata code when it had one. */
  error: { name: string; message: string; code?: string };
  /** Attempts made before parking. */
  attempts: number;
  /** When it was parked (ms since the epoch). */
  parkedAt: number;
};

/** Where parked events are kept. The runner parks into it; operators list and replay from it. */
export interface DeadLetterStore {
  /** Parks a letter (replacing one of the same projection and position). */
  park(letter: DeadLetter): Promise<void>;
  /** The parked letters of one projection (or all), in position order. */
  list(projection?: string): Promise<DeadLetter[]>;
  /** Removes a letter (after a successful replay); returns whether it was there. */
  remove(projection: string, position: number): Promise<boolean>;
}

/**
 * Dead letters kept in this process. Parked events are listed by `runner.deadLetters()` while it
 * lives; use the PostgreSQL store (or your own) to keep them across restarts.
 */
export function createInMemoryDeadLetterStore(): DeadLetterStore {
  return new InMemoryDeadLetterStore();
}

class InMemoryDeadLetterStore implements DeadLetterStore {
  readonly #letters = new Map<string, DeadLetter>();

  async park(letter: DeadLetter): Promise<void> {
    this.#letters.set(`${letter.projection}\u0000${letter.position}`, structuredClone(letter));
  }

  async list(projection?: string): Promise<DeadLetter[]> {
    return [...this.#letters.values()]
      .filter((letter) => projection === undefined || letter.projection === projection)
      .sort((a, b) => a.position - b.position)
      .map((letter) => structuredClone(letter));
  }

  async remove(projection: string, position: number): Promise<boolean> {
    return this.#letters.delete(`${projection}\u0000${position}`);
  }
}
