import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.js';

function sink(isTTY: boolean): { text: () => string; output: { isTTY: boolean; columns: number; write(text: string): void } } {
  let text = '';
  return { text: () => text, output: { isTTY, columns: 120, write: (chunk: string) => void (text += chunk) } };
}

describe('createProgress', () => {
  it('draws a bar in place on a terminal and ends the line when finished', () => {
    const { text, output } = sink(true);
    const progress = createProgress(output, { label: 'copy', unit: 'events', total: 200 });
    progress.update(100);
    progress.update(200);
    progress.finish();
    expect(text()).toContain('\r');
    expect(text()).toMatch(/copy \[#+\.*\]\s+50%/);
    expect(text()).toMatch(/100%.*\n$/);
  });

  it('writes plain lines without carriage returns when the output is not a terminal', () => {
    const { text, output } = sink(false);
    const progress = createProgress(output, { label: 'copy', unit: 'events', total: 10, lineIntervalMs: 0 });
    progress.update(5);
    progress.update(10);
    progress.finish();
    expect(text()).not.toContain('\r');
    expect(text().trim().split('\n')).toEqual([expect.stringMatching(/^copy: 5\/10 events.*\(50%\)$/), expect.stringMatching(/^copy: 10\/10 events/), expect.stringMatching(/done$/)]);
  });

  it('stays silent for work that ends before the first line is due', () => {
    const { text, output } = sink(false);
    const progress = createProgress(output, { label: 'copy', unit: 'events', lineIntervalMs: 60_000 });
    progress.update(5);
    progress.finish();
    expect(text()).toBe('');
  });
});
