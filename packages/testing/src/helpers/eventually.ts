/**
 * Waits until `condition` holds, checking every few milliseconds, and fails after `limitMs`. For
 * changes that arrive asynchronously by design (messages between threads, another process's
 * commits); the limit only bounds a broken test, it is not what the test asserts.
 */
export async function eventually(condition: () => boolean | Promise<boolean>, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not reached within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
