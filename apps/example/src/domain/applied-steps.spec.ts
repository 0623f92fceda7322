import { describe, expect, it } from 'vitest';
import { appliedOutcome, noSteps, RECENT_LIMIT, withStep } from './applied-steps.js';

describe('applied steps', () => {
  it('remembers every step across merges, without changing earlier values', () => {
    let steps = noSteps();
    const history = [steps];
    for (let i = 0; i < RECENT_LIMIT * 3 + 5; i++) {
      steps = withStep(steps, `q:${i}`, i % 2 === 0 ? 'ok' : 'INSUFFICIENT_FUNDS');
      history.push(steps);
    }
    for (let i = 0; i < RECENT_LIMIT * 3 + 5; i++) expect(appliedOutcome(steps, `q:${i}`)).toBe(i % 2 === 0 ? 'ok' : 'INSUFFICIENT_FUNDS');
    expect(appliedOutcome(steps, 'q:missing')).toBeUndefined();
    expect(appliedOutcome(history[10]!, 'q:10')).toBeUndefined();
    expect(appliedOutcome(history[11]!, 'q:10')).toBe('ok');
    expect(appliedOutcome(steps, 'toString')).toBeUndefined();
  });
});
