import type { CheckpointStore } from '@strata/core';

/** A checkpoint store in a map (the in-memory event store has none of its own). */
export class MemoryCheckpoints implements CheckpointStore {
  readonly saved = new Map<string, number>();
  saves = 0;

  async load(name: string): Promise<number | undefined> {
    return this.saved.get(name);
  }

  async save(name: string, position: number): Promise<void> {
    this.saves++;
    this.saved.set(name, position);
  }

  async delete(name: string): Promise<void> {
    this.saved.delete(name);
  }
}
