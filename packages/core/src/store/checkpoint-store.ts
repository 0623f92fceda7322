/**
 * Named positions kept durably beside the events: where a subscription or projection has got to.
 * Saving a checkpoint in the same store as the events means it is never ahead of the durable log.
 * Every Strata store exposes one as `store.checkpoints`.
 */
export interface CheckpointStore {
  /** The saved position of `name`, or `undefined` when none was saved. */
  load(name: string): Promise<number | undefined>;
  /**
   * Saves the position of `name` (conventionally the last position processed; resume a
   * subscription from `position + 1`). Settles once durable in the store's durability mode.
   */
  save(name: string, position: number): Promise<void>;
  /** Forgets `name`. */
  delete(name: string): Promise<void>;
}
