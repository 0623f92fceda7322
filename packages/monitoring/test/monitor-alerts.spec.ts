import { ChannelNames, diagnosticsChannel, isStrataError } from '@strata/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createMonitor, type AlertEvent, type Monitor, type MonitorLogger } from '../src/index.js';

const commands = diagnosticsChannel(ChannelNames.command);
const publishCommands = (count: number, durationMs: number): void => {
  for (let i = 0; i < count; i++) commands.publish({ aggregate: 'account', streamId: 'account-1', durationMs, events: 1, retries: 0, ok: true });
};

describe('monitor alerts', () => {
  let monitor: Monitor | undefined;
  afterEach(async () => {
    await monitor?.close();
  });

  it('fires "p99 > 20 ms for 30 s" after 30 s of slow samples, and clears with hysteresis', () => {
    let now = 0;
    const events: AlertEvent[] = [];
    const logged: string[] = [];
    const logger: MonitorLogger = { info: (_f, m) => logged.push(m), warn: (_f, m) => logged.push(m), error: (_f, m) => logged.push(m) };
    monitor = createMonitor({
      runtime: false,
      logger,
      clock: () => now,
      intervalMs: 3_600_000,
      alerts: [{ name: 'slow commands', when: 'p99(strata_command_duration_seconds) > 20ms for 30s', clearThreshold: 15 }],
      onAlert: (event) => events.push(event),
    });
    const second = (latencyMs: number): ReturnType<Monitor['sample']> => {
      publishCommands(100, latencyMs);
      now += 1000;
      return monitor!.sample();
    };

    for (let s = 1; s <= 30; s++) {
      const snapshot = second(25);
      expect(snapshot.alerts.map((a) => a.state)).toEqual(['pending']);
    }
    expect(events).toEqual([]);
    const fired = second(25);
    expect(fired.alerts).toEqual([expect.objectContaining({ name: 'slow commands', state: 'firing', labels: { aggregate: 'account' }, unit: 'ms', threshold: 20 })]);
    expect(events.map((e) => e.type)).toEqual(['firing']);
    expect(logged).toEqual(['alert firing: slow commands (p99(strata_command_duration_seconds) > 20 ms)']);

    expect(second(18).alerts.map((a) => a.state)).toEqual(['firing']); // inside the band
    const cleared = second(10);
    expect(cleared.alerts).toEqual([]);
    expect(cleared.resolvedAlerts.map((a) => a.name)).toEqual(['slow commands']);
    expect(events.map((e) => e.type)).toEqual(['firing', 'resolved']);
  });

  it('evaluates rules on the snapshot, and accepts rules added later', () => {
    let now = 0;
    monitor = createMonitor({ runtime: false, logger: false, clock: () => now, intervalMs: 3_600_000 });
    monitor.addAlertRule({ name: 'busy', value: (s) => s.commands.perSec, op: '>', threshold: 50 });
    publishCommands(100, 1);
    now += 1000;
    expect(monitor.sample().alerts.map((a) => a.name)).toEqual(['busy']);
    try {
      monitor.addAlertRule({ name: 'busy', value: () => 1, op: '>', threshold: 0 });
      expect.unreachable('duplicate rule names are refused');
    } catch (error) {
      expect(isStrataError(error, 'INVALID_ARGUMENT')).toBe(true);
    }
    expect(monitor.removeAlertRule('busy')).toBe(true);
    expect(monitor.alerts()).toEqual([]);
  });

  it('shows manual alerts until they are resolved', () => {
    monitor = createMonitor({ runtime: false, logger: false });
    monitor.raiseAlert('disk', { severity: 'critical', summary: 'volume 95% full', labels: { volume: 'data' } });
    expect(monitor.sample().alerts).toEqual([expect.objectContaining({ name: 'disk', severity: 'critical', labels: { volume: 'data' }, state: 'firing' })]);
    expect(monitor.resolveAlert('disk', { volume: 'data' })).toBe(true);
    expect(monitor.sample().alerts).toEqual([]);
  });
});
