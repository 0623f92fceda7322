import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory under the OS temporary directory, and its removal. */
export type TempDir = { path: string; remove(): void };

/** Creates a fresh temporary directory named after `prefix` (for LMDB files, fixtures …). */
export function tempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `strata-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
