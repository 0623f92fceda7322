/** A readable one-or-more-line account of a thrown value, including the errors inside an `AggregateError`. */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError) {
    return [error.message, ...error.errors.map((inner) => `  ${describeError(inner)}`)].join('\n');
  }
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
