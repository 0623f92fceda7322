import { describe, expect, it } from 'vitest';
import { isStrataError } from '@strata/core';
import { createBatcher, type BatcherOptions } from '../index.js';

const valid: BatcherOptions<number, number> = {
  execute: (items) => items,
  maxSize: 10,
  maxDelayMs: 5,
  maxPending: 100,
};

/** The option named by the INVALID_ARGUMENT error `createBatcher` throws, or what else happened. */
function rejectedOption(options: unknown): unknown {
  try {
    createBatcher(options as BatcherOptions<number, number>);
    return 'accepted';
  } catch (error) {
    if (!isStrataError(error, 'INVALID_ARGUMENT')) return error;
    return error.details['argument'];
  }
}

describe('createBatcher option validation', () => {
  it('accepts valid options, with and without the optional ones', () => {
    expect(rejectedOption(valid)).toBe('accepted');
    expect(
      rejectedOption({
        ...valid,
        onOverload: 'wait',
        concurrency: 2,
        adaptive: { targetLatencyMs: 5, minSize: 1, maxSize: 50 },
        dedupeKey: (n: number) => n,
        atomic: true,
        name: 'writes',
        clock: () => 0,
      }),
    ).toBe('accepted');
  });

  it.each<[string, unknown, string]>([
    ['options', null, 'options'],
    ['execute missing', { ...valid, execute: undefined }, 'execute'],
    ['maxSize zero', { ...valid, maxSize: 0 }, 'maxSize'],
    ['maxSize fractional', { ...valid, maxSize: 1.5 }, 'maxSize'],
    ['maxSize missing', { ...valid, maxSize: undefined }, 'maxSize'],
    ['maxDelayMs negative', { ...valid, maxDelayMs: -1 }, 'maxDelayMs'],
    ['maxDelayMs NaN', { ...valid, maxDelayMs: Number.NaN }, 'maxDelayMs'],
    ['maxDelayMs beyond a timer', { ...valid, maxDelayMs: 2 ** 31 }, 'maxDelayMs'],
    ['maxPending missing', { ...valid, maxPending: undefined }, 'maxPending'],
    ['maxPending below maxSize', { ...valid, maxPending: 9 }, 'maxPending'],
    ['onOverload unknown', { ...valid, onOverload: 'drop' }, 'onOverload'],
    ['concurrency zero', { ...valid, concurrency: 0 }, 'concurrency'],
    ['dedupeKey not a function', { ...valid, dedupeKey: 'id' }, 'dedupeKey'],
    ['atomic not a boolean', { ...valid, atomic: 'yes' }, 'atomic'],
    ['name empty', { ...valid, name: '' }, 'name'],
    ['clock not a function', { ...valid, clock: 0 }, 'clock'],
    ['unknown option', { ...valid, maxDelay: 5 }, 'maxDelay'],
    ['adaptive not an object', { ...valid, adaptive: true }, 'adaptive'],
    ['adaptive.targetLatencyMs zero', { ...valid, adaptive: { targetLatencyMs: 0, minSize: 1, maxSize: 10 } }, 'adaptive.targetLatencyMs'],
    ['adaptive.minSize zero', { ...valid, adaptive: { targetLatencyMs: 5, minSize: 0, maxSize: 10 } }, 'adaptive.minSize'],
    ['adaptive.maxSize below minSize', { ...valid, adaptive: { targetLatencyMs: 5, minSize: 8, maxSize: 4 } }, 'adaptive.maxSize'],
    ['adaptive unknown key', { ...valid, adaptive: { targetLatencyMs: 5, minSize: 1, maxSize: 10, step: 2 } }, 'adaptive.step'],
    ['maxSize outside adaptive bounds', { ...valid, maxSize: 10, adaptive: { targetLatencyMs: 5, minSize: 20, maxSize: 40 } }, 'maxSize'],
    ['maxPending below adaptive.maxSize', { ...valid, adaptive: { targetLatencyMs: 5, minSize: 1, maxSize: 500 } }, 'maxPending'],
  ])('rejects %s with INVALID_ARGUMENT naming %s', (_case, options, argument) => {
    expect(rejectedOption(options)).toBe(argument);
  });
});
