import { mkdirSync } from 'node:fs';
import { open } from 'lmdb';

/**
 * A consistent copy of a live LMDB store, taken while the application keeps writing (from the
 * application itself or from another process): lmdb-js's `backup()` is LMDB's `mdb_env_copy2`,
 * which copies one read snapshot (the last committed transaction) and never blocks writers.
 * `compact` leaves out free pages (slower, smaller). The target directory receives `data.mdb`
 * and is a complete store: open it with `createLmdbEventStore({ path: targetDir })`.
 */
export async function backupStore(storeDir: string, targetDir: string, compact = false): Promise<void> {
  mkdirSync(targetDir, { recursive: true });
  // maxDbs as the store opens the environment; nothing is written through this handle.
  const env = open({ path: storeDir, maxDbs: 16 });
  try {
    await env.backup(targetDir, compact);
  } finally {
    await env.close();
  }
}
