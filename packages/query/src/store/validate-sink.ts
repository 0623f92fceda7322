import { InvalidArgumentError, type SinkScope } from '@strata/core';

/** Checks a projection or collection name. */
export function validateName(name: unknown, argument: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > 200)
    throw new InvalidArgumentError(argument, 'must be a non-empty string of at most 200 characters');
}

/** Checks a sink scope and checkpoint position. */
export function validateScope(scope: SinkScope, position: number): void {
  if (scope === null || typeof scope !== 'object') throw new InvalidArgumentError('scope', 'must be { projection, generation }');
  validateName(scope.projection, 'scope.projection');
  if (!Number.isSafeInteger(scope.generation) || scope.generation < 0)
    throw new InvalidArgumentError('scope.generation', 'must be a non-negative integer');
  if (!Number.isSafeInteger(position) || position < 0) throw new InvalidArgumentError('position', 'must be a non-negative integer');
}
