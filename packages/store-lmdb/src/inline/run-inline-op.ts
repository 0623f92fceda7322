import type { WriteOp } from '../write/write-op.js';
import type { WriteTransaction } from '../write/write-transaction.js';
import type { InlineContext } from './inline-context.js';
import type { InlineProjections } from './inline-projections.js';

/** Runs a caller's function inside a group-commit transaction (catch-up of an inline projection). */
export class RunInlineOp<T> implements WriteOp<T> {
  readonly events = 0;
  readonly bytes = 0;
  readonly #registry: InlineProjections;
  readonly #fn: (context: InlineContext) => T;

  constructor(registry: InlineProjections, fn: (context: InlineContext) => T) {
    this.#registry = registry;
    this.#fn = fn;
  }

  apply(_txn: WriteTransaction): T | Error {
    return this.#registry.run(this.#fn);
  }
}
