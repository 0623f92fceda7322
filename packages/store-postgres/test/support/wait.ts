/** Resolves after one short timer tick: lets other work run between polls. */
export function tick(ms = 2): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Waits until `check` holds, polling; fails with `what` when `boundMs` passes first. A wait for an
 * outcome (a breaker opening, a server coming back), never an assertion about timing. `step`
 * runs between two checks (an attempt that is expected to succeed eventually).
 */
export async function until(check: () => boolean, what: string, boundMs = 60_000, step?: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    if (step === undefined) await tick(5);
    else await Promise.all([step(), tick(20)]);
  }
}
