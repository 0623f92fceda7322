import { isStrataError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import type { MonitorOptions } from './monitor-options.js';
import { validateMonitorOptions } from './validate-monitor-options.js';

function rejected(options: unknown): unknown {
  try {
    validateMonitorOptions(options as MonitorOptions);
  } catch (error) {
    if (isStrataError(error, 'INVALID_ARGUMENT')) return error.details['argument'];
    throw error;
  }
  throw new Error('expected INVALID_ARGUMENT');
}

describe('validateMonitorOptions', () => {
  it('applies defaults', () => {
    const resolved = validateMonitorOptions();
    expect(resolved).toMatchObject({ title: 'Strata', intervalMs: 1000, historySize: 120, quantileWindowMs: 60_000, maxSeriesPerMetric: 1000, basePath: '' });
    expect(resolved.channels.size).toBe(11);
    expect(resolved.profiling.endpoint).toBe(false);
  });

  it('names every offending option', () => {
    expect(rejected(null)).toBe('options');
    expect(rejected({ interval: 1000 })).toBe('interval');
    expect(rejected({ intervalMs: 0 })).toBe('intervalMs');
    expect(rejected({ intervalMs: 1.5 })).toBe('intervalMs');
    expect(rejected({ historySize: -1 })).toBe('historySize');
    expect(rejected({ quantileWindowMs: 10 })).toBe('quantileWindowMs');
    expect(rejected({ maxSeriesPerMetric: 0 })).toBe('maxSeriesPerMetric');
    expect(rejected({ title: '' })).toBe('title');
    expect(rejected({ runtime: 'yes' })).toBe('runtime');
    expect(rejected({ runtime: { resolution: 5 } })).toBe('runtime.resolution');
    expect(rejected({ runtime: { eventLoopResolutionMs: 0 } })).toBe('runtime.eventLoopResolutionMs');
    expect(rejected({ channels: ['append', 'telepathy'] })).toBe('channels');
    expect(rejected({ alerts: {} })).toBe('alerts');
    expect(rejected({ alerts: [{ name: 'a', when: 'x > 1' }, { name: 'a', when: 'y > 1' }] })).toBe('alerts[1].name');
    expect(rejected({ alerts: [{ name: 'a', when: 'x >' }] })).toBe('alerts[0].when');
    expect(rejected({ onAlert: 'email me' })).toBe('onAlert');
    expect(rejected({ logger: console.log })).toBe('logger');
    expect(rejected({ profiling: { endpoint: 'yes' } })).toBe('profiling.endpoint');
    expect(rejected({ profiling: { dir: '' } })).toBe('profiling.dir');
    expect(rejected({ profiling: { directory: '/tmp' } })).toBe('profiling.directory');
    expect(rejected({ basePath: 'monitor' })).toBe('basePath');
    expect(rejected({ basePath: '/monitor/' })).toBe('basePath');
    expect(rejected({ clock: 5 })).toBe('clock');
  });
});
