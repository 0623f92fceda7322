import { describe, expect, it } from 'vitest';
import { LatencyModel } from './latency-model.js';

describe('LatencyModel', () => {
  it('estimates the fixed part of a linear latency', () => {
    const model = new LatencyModel();
    for (const size of [10, 50, 20, 80, 40, 60]) model.observe(size, 3 + 0.25 * size);
    expect(model.fixedCostMs()).toBeCloseTo(3, 6);
  });

  it('knows nothing until batch sizes differ', () => {
    const model = new LatencyModel();
    expect(model.fixedCostMs()).toBeUndefined();
    for (let i = 0; i < 10; i++) model.observe(64, 5);
    expect(model.fixedCostMs()).toBeUndefined();
  });

  it('counts latency that does not grow with size as fixed cost', () => {
    const model = new LatencyModel();
    for (const size of [64, 32, 40, 50]) model.observe(size, 5);
    expect(model.fixedCostMs()).toBeCloseTo(5, 6);
  });

  it('follows a sink whose costs change', () => {
    const model = new LatencyModel();
    for (const size of [100, 200, 150, 250]) model.observe(size, 20 + 0.1 * size);
    for (let i = 0; i < 30; i++) model.observe(i % 2 === 0 ? 100 : 200, 1 + 0.1 * (i % 2 === 0 ? 100 : 200));
    expect(model.fixedCostMs()).toBeCloseTo(1, 1);
  });

  it('forgets everything on reset', () => {
    const model = new LatencyModel();
    for (const size of [10, 50, 20]) model.observe(size, 3 + size);
    model.reset();
    expect(model.fixedCostMs()).toBeUndefined();
    for (const size of [10, 50, 20]) model.observe(size, 7 + size);
    expect(model.fixedCostMs()).toBeCloseTo(7, 6);
  });
});
