/**
 * Delivered-but-unapplied events, as (position, recordedAt) pairs in position order, so the age of
 * the oldest one is known without scanning: two number pushes per event, trimmed per batch.
 */
export class LagTracker {
  #positions: number[] = [];
  #times: number[] = [];
  #head = 0;

  delivered(position: number, recordedAt: number): void {
    this.#positions.push(position);
    this.#times.push(recordedAt);
  }

  /** Forgets everything at or below `position`. */
  applied(position: number): void {
    const positions = this.#positions;
    while (this.#head < positions.length && (positions[this.#head] as number) <= position) this.#head++;
    if (this.#head > 1024 && this.#head * 2 > positions.length) {
      this.#positions = positions.slice(this.#head);
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Age in ms of the oldest delivered event not yet applied (0 when none). */
  oldestAgeMs(now: number): number {
    if (this.#head >= this.#positions.length) return 0;
    return Math.max(0, now - (this.#times[this.#head] as number));
  }
}
