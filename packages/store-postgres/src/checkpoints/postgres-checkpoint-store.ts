import { InvalidArgumentError, type CheckpointStore } from '@strata/core';
import { int8AsNumber } from '@strata/pool';
import { qualified, statement, type StoreContext, type Statement } from '../schema/store-context.js';

const NAME = /^[^\u0000-\u001f\u007f]{1,200}$/;

/** {@link CheckpointStore} on the store's `checkpoints` table. */
export class PostgresCheckpointStore implements CheckpointStore {
  readonly #ctx: StoreContext;
  readonly #assertOpen: () => void;
  readonly #load: Statement;
  readonly #save: Statement;
  readonly #delete: Statement;

  constructor(ctx: StoreContext, assertOpen: () => void) {
    this.#ctx = ctx;
    this.#assertOpen = assertOpen;
    const table = qualified(ctx.schema, 'checkpoints');
    this.#load = statement(`SELECT position FROM ${table} WHERE name = $1`);
    this.#save = statement(
      `INSERT INTO ${table} (name, position) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
    );
    this.#delete = statement(`DELETE FROM ${table} WHERE name = $1`);
  }

  async load(name: string): Promise<number | undefined> {
    this.#check(name);
    const { rows } = await this.#ctx.pool.query<{ position: number }>({ ...this.#load, types: int8AsNumber }, [name], { idempotent: true });
    return rows[0]?.position;
  }

  async save(name: string, position: number): Promise<void> {
    this.#check(name);
    if (!Number.isSafeInteger(position) || position < -1) throw new InvalidArgumentError('position', 'expected an integer >= -1');
    await this.#ctx.pool.query(this.#save, [name, position], { idempotent: true });
  }

  async delete(name: string): Promise<void> {
    this.#check(name);
    await this.#ctx.pool.query(this.#delete, [name], { idempotent: true });
  }

  #check(name: string): void {
    this.#assertOpen();
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new InvalidArgumentError('name', 'expected 1 to 200 characters without control characters');
    }
  }
}
