import type { EventStore } from '@strata/core';

/** Appends `count` single-event appends of `type` spread over `streams` streams; returns the last position. */
export async function appendMany(store: EventStore, count: number, options: { type?: string; streams?: number; prefix?: string } = {}): Promise<number> {
  const { type = 'Deposited', streams = 5, prefix = 'account' } = options;
  let last = -1;
  for (let i = 0; i < count; i++) {
    const result = await store.append(`${prefix}-${i % streams}`, [{ type, data: { amount: i + 1 } }]);
    last = result.position;
  }
  return last;
}

/** Waits until `check` holds, polling; fails after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
