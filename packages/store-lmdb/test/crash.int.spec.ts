import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readAcks, runAndKill, verifyAfterCrash } from './support/crash-harness.js';
import { seededRandom, tempDir } from './support/helpers.js';

const CYCLES = 22;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('crash safety (kill -9 while appending)', () => {
  it(`keeps every acknowledged append, whole batches and gapless versions across ${CYCLES} kills`, async () => {
    const seed = Date.now() >>> 0;
    const random = seededRandom(seed);
    const dir = tempDir('crash');
    cleanups.push(dir.remove);
    const path = join(dir.path, 'store');
    const ackLog = join(dir.path, 'acks.log');
    let events = 0;
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      // Every other writer keeps a tiny stream index tail, so kills also hit its moves to the extents database.
      await runAndKill(path, ackLog, seed + cycle, 20 + random(280), 'safe', cycle % 2 === 0 ? 65_536 : 1 + random(64));
      const acks = readAcks(ackLog);
      const report = await verifyAfterCrash(path, acks);
      expect(report.problems, `cycle ${cycle} (seed ${seed}): ${acks.length} acknowledged appends`).toEqual([]);
      events = report.events;
    }
    // The writers made progress, so the kills landed among appends in flight.
    expect(readAcks(ackLog).length).toBeGreaterThan(CYCLES);
    expect(events).toBeGreaterThan(CYCLES);
  }, 90_000);

  it('catches a loss: the harness reports acknowledgements logged before the commit', async () => {
    // A test of the harness, not of the store: the writer is a deliberately unsafe client that
    // logs each acknowledgement before its append is even committed. Killing it while appends
    // are in flight must show up as acknowledged batches missing from the store.
    const dir = tempDir('crash-unsafe');
    cleanups.push(dir.remove);
    const path = join(dir.path, 'store');
    const ackLog = join(dir.path, 'acks.log');
    const found: string[] = [];
    for (let cycle = 0; cycle < 8 && found.length === 0; cycle++) {
      await runAndKill(path, ackLog, 7 + cycle, 60, 'ack-before-commit');
      found.push(...(await verifyAfterCrash(path, readAcks(ackLog))).problems);
    }
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((problem) => problem.includes('is missing'))).toBe(true);
  }, 60_000);
});
