/** The transport reference: a piscina task that does nothing but answer (named export, not a suite). */
export function echo(value: number): number {
  return value;
}
