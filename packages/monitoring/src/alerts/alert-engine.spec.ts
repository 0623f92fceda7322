import { describe, expect, it } from 'vitest';
import { AlertEngine } from './alert-engine.js';
import type { AlertEvent, AlertReading, AlertRuleOf, MonitorLogger } from './alert-types.js';
import { compileAlertRule } from './compile-alert-rule.js';

type Snapshot = { p99: number | null };

/** An engine on a fake clock, fed one value per evaluation; time moves only when the test says. */
function harness(rule: AlertRuleOf<Snapshot>) {
  let now = 0;
  const events: AlertEvent[] = [];
  const logged: Array<[level: string, message: string]> = [];
  const logger: MonitorLogger = {
    info: (_fields, message) => logged.push(['info', message]),
    warn: (_fields, message) => logged.push(['warn', message]),
    error: (_fields, message) => logged.push(['error', message]),
  };
  const engine = new AlertEngine<Snapshot>({ clock: () => now, logger });
  engine.addRule(compileAlertRule(rule, 'rule'));
  engine.onAlert((event) => events.push(event));
  /** Advances the clock by `ms`, then evaluates with `value` as the rule's only reading. */
  const at = (ms: number, value: number | null, labels: Record<string, string> = {}): void => {
    now += ms;
    engine.evaluate(() => [{ labels, value, unit: 'ms' } satisfies AlertReading]);
  };
  return { engine, events, logged, at, state: () => engine.active()[0]?.state ?? 'inactive' };
}

const p99Rule: AlertRuleOf<Snapshot> = { name: 'slow', metric: 'strata_command_duration_seconds', stat: 'p99', op: '>', threshold: 20, forMs: 30_000, clearThreshold: 15 };

describe('AlertEngine', () => {
  it('fires only once the condition has held for the whole duration', () => {
    const { at, events, state } = harness(p99Rule);
    at(0, 25);
    expect(state()).toBe('pending');
    at(10_000, 30);
    at(19_999, 22);
    expect(state()).toBe('pending');
    expect(events).toEqual([]);
    at(1, 21);
    expect(state()).toBe('firing');
    expect(events.map((e) => e.type)).toEqual(['firing']);
    expect(events[0]?.alert).toMatchObject({ name: 'slow', value: 21, threshold: 20, unit: 'ms', since: 0, firedAt: 30_000 });
  });

  it('starts the duration again when the condition breaks while pending', () => {
    const { at, events, state } = harness(p99Rule);
    at(0, 25);
    at(20_000, 10);
    expect(state()).toBe('inactive');
    at(1000, 25);
    at(29_000, 25);
    expect(state()).toBe('pending');
    at(1000, 25);
    expect(events.map((e) => e.type)).toEqual(['firing']);
  });

  it('keeps firing inside the hysteresis band and clears only below the clear threshold', () => {
    const { at, events, state } = harness({ ...p99Rule, forMs: 0 });
    at(0, 25);
    expect(state()).toBe('firing');
    at(1000, 19); // under the threshold, above the clear threshold
    at(1000, 16);
    expect(state()).toBe('firing');
    at(1000, 15); // back at the clear threshold
    expect(state()).toBe('inactive');
    expect(events.map((e) => e.type)).toEqual(['firing', 'resolved']);
    expect(events[1]?.alert.resolvedAt).toBe(3000);
  });

  it('resolves only after the value stayed cleared for clearForMs, without a second notification on a relapse', () => {
    const { at, events, state, engine } = harness({ ...p99Rule, forMs: 0, clearForMs: 5000 });
    at(0, 25);
    at(1000, 10);
    at(4000, 10);
    expect(state()).toBe('firing');
    at(500, 30); // relapse resets the clear hold
    at(500, 10);
    at(4999, 10);
    expect(state()).toBe('firing');
    at(1, 10);
    expect(state()).toBe('inactive');
    expect(events.map((e) => e.type)).toEqual(['firing', 'resolved']);
    expect(engine.resolved().map((a) => a.name)).toEqual(['slow']);
  });

  it('treats missing data as not breaching and as cleared', () => {
    const { at, events, state } = harness({ ...p99Rule, forMs: 0 });
    at(0, null);
    expect(state()).toBe('inactive');
    at(1000, 50);
    at(1000, null);
    expect(events.map((e) => e.type)).toEqual(['firing', 'resolved']);
  });

  it('tracks each series separately and resolves a series that stops reporting', () => {
    let now = 0;
    const engine = new AlertEngine<Snapshot>({ clock: () => now, logger: undefined });
    engine.addRule(compileAlertRule({ ...p99Rule, forMs: 0 }, 'rule'));
    engine.evaluate(() => [
      { labels: { aggregate: 'account' }, value: 30 },
      { labels: { aggregate: 'transfer' }, value: 5 },
    ]);
    expect(engine.active().map((a) => a.labels)).toEqual([{ aggregate: 'account' }]);
    now += 1000;
    engine.evaluate(() => [{ labels: { aggregate: 'transfer' }, value: 40 }]);
    expect(engine.active().map((a) => a.labels)).toEqual([{ aggregate: 'transfer' }]);
  });

  it('supports "<" rules, whose hysteresis band lies above the threshold', () => {
    const { at, state } = harness({ name: 'cold cache', value: (s) => s.p99, op: '<', threshold: 0.5, clearThreshold: 0.7 });
    at(0, 0.4);
    expect(state()).toBe('firing');
    at(1000, 0.6);
    expect(state()).toBe('firing');
    at(1000, 0.7);
    expect(state()).toBe('inactive');
  });

  it('logs notifications at the severity level and survives a throwing listener', () => {
    const { engine, at, logged } = harness({ ...p99Rule, forMs: 0, severity: 'critical' });
    engine.onAlert(() => {
      throw new Error('listener bug');
    });
    at(0, 99);
    at(1000, 1);
    expect(logged.map(([level]) => level)).toEqual(['error', 'error', 'info', 'error']);
    expect(logged[0]?.[1]).toContain('alert firing: slow');
    expect(logged[1]?.[1]).toBe('alert listener threw');
  });

  it('raises and resolves manual alerts', () => {
    const { engine, events } = harness(p99Rule);
    engine.raise('disk', { severity: 'critical', summary: '91% full' });
    engine.raise('disk', { summary: '93% full' });
    expect(engine.active()).toEqual([expect.objectContaining({ name: 'disk', state: 'firing', severity: 'critical', summary: '93% full', source: 'manual' })]);
    expect(engine.resolve('disk')).toBe(true);
    expect(engine.resolve('disk')).toBe(false);
    expect(events.map((e) => `${e.type}:${e.alert.name}`)).toEqual(['firing:disk', 'resolved:disk']);
  });
});
