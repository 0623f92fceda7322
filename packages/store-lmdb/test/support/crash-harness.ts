import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { RecordedEvent } from '@strata/core';
import { createLmdbEventStore } from '../../src/index.js';
import { builtPackageUrl, collect, fixturePath } from './helpers.js';

/** One acknowledged append, as the writer logged it (unsafe writers log no version or position). */
export type Ack = { batch: string; stream: string; size: number; version?: number; position?: number };

/** Event data the crash writer appends. */
type CrashData = { batch: string; index: number; size: number };

/**
 * Runs the crash writer until it is ready, lets it append for `appendMs`, then kills it with
 * SIGKILL (no chance to flush, close or log anything more) and waits for it to be gone.
 * `maxIndexTail` is the writer's stream index tail (small values make it move the tail to the
 * extents database all the time, so kills land in those transactions too).
 */
export async function runAndKill(
  path: string,
  ackLog: string,
  seed: number,
  appendMs: number,
  mode: 'safe' | 'ack-before-commit',
  maxIndexTail = 65_536,
): Promise<void> {
  const child = spawn(process.execPath, [fixturePath('crash-writer.mjs'), builtPackageUrl(), path, ackLog, String(seed), mode, String(maxIndexTail)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    void exited.then((code) => reject(new Error(`crash writer exited (${code}) before it was ready: ${stderr}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, appendMs));
  child.kill('SIGKILL');
  await exited;
}

/** The acknowledgements logged so far (a line cut short by the kill is ignored). */
export function readAcks(ackLog: string): Ack[] {
  const acks: Ack[] = [];
  for (const line of readFileSync(ackLog, 'utf8').split('\n')) {
    if (line.length === 0) continue;
    try {
      acks.push(JSON.parse(line) as Ack);
    } catch {
      // Only the last line can be partial, and only if the process died inside the write.
    }
  }
  return acks;
}

/**
 * Reopens the store at `path` and checks what a crash must never break. Returns the problems found
 * (empty when the store is sound):
 * - every acknowledged append is present, with its version and position;
 * - every batch is entirely present or entirely absent;
 * - every stream's versions are gapless from 0;
 * - global positions strictly increase, and `readAll` agrees with `readStream`.
 * Throws when the store does not open.
 */
export async function verifyAfterCrash(path: string, acks: readonly Ack[]): Promise<{ problems: string[]; events: number }> {
  const store = await createLmdbEventStore({ path });
  const problems: string[] = [];
  try {
    const all = await collect(store.readAll());
    const batches = new Map<string, RecordedEvent[]>();
    for (let i = 0; i < all.length; i++) {
      const event = all[i] as RecordedEvent;
      if (i > 0 && event.position <= (all[i - 1] as RecordedEvent).position) problems.push(`position ${event.position} does not increase`);
      const { batch } = event.data as CrashData;
      const list = batches.get(batch) ?? [];
      list.push(event);
      batches.set(batch, list);
    }
    for (const [batch, events] of batches) {
      const { size } = events[0]?.data as CrashData;
      if (events.length !== size) problems.push(`batch ${batch} is partial: ${events.length} of ${size} events`);
      const indexes = events.map((e) => (e.data as CrashData).index);
      if (indexes.some((index, i) => index !== i)) problems.push(`batch ${batch} is out of order: ${indexes.join(',')}`);
    }
    const streams = new Set(all.map((e) => e.streamId));
    for (const stream of streams) {
      const read = await collect(store.readStream(stream));
      if (read.some((e, v) => e.version !== v)) problems.push(`stream ${stream} has gaps in its versions`);
      if (read.length !== all.filter((e) => e.streamId === stream).length) problems.push(`readStream(${stream}) disagrees with readAll`);
    }
    for (const ack of acks) {
      const events = batches.get(ack.batch);
      if (events === undefined) {
        problems.push(`acknowledged batch ${ack.batch} (${ack.size} events on ${ack.stream}) is missing`);
        continue;
      }
      const last = events[events.length - 1] as RecordedEvent;
      if (last.streamId !== ack.stream) problems.push(`batch ${ack.batch} is on ${last.streamId}, acknowledged on ${ack.stream}`);
      if (ack.version !== undefined && last.version !== ack.version) problems.push(`batch ${ack.batch} ends at version ${last.version}, acknowledged ${ack.version}`);
      if (ack.position !== undefined && last.position !== ack.position) problems.push(`batch ${ack.batch} ends at position ${last.position}, acknowledged ${ack.position}`);
    }
    return { problems, events: all.length };
  } finally {
    await store.close();
  }
}
