import type { CliOutput } from '../cli/cli-io.js';
import { formatCount } from './format.js';

/** Reports the progress of long work. */
export interface Progress {
  /** Sets how much is done (and, when it became known or changed, the total). */
  update(done: number, total?: number): void;
  /** Draws the final state and ends the line. */
  finish(): void;
}

/** Options of {@link createProgress}. */
export type ProgressOptions = {
  /** What is being counted, e.g. `copy` or `verify`. */
  label: string;
  /** Units after the counts, e.g. `events`. */
  unit: string;
  total?: number;
  /** Least time between two plain lines when the output is not a terminal. Default 2,000 ms. */
  lineIntervalMs?: number;
};

const BAR_WIDTH = 28;
const REDRAW_MS = 80;

/**
 * A progress bar redrawn in place when `output` is a terminal, or a plain line every
 * `lineIntervalMs` otherwise (logs and CI keep a readable record, without carriage returns).
 * Progress goes to stderr, so `--json` output on stdout stays clean.
 */
export function createProgress(output: CliOutput, options: ProgressOptions): Progress {
  return output.isTTY === true ? new BarProgress(output, options) : new LineProgress(output, options);
}

abstract class BaseProgress implements Progress {
  protected readonly output: CliOutput;
  protected readonly label: string;
  protected readonly unit: string;
  protected total: number | undefined;
  protected done = 0;
  protected readonly started = performance.now();
  #finished = false;

  constructor(output: CliOutput, options: ProgressOptions) {
    this.output = output;
    this.label = options.label;
    this.unit = options.unit;
    this.total = options.total;
  }

  update(done: number, total?: number): void {
    this.done = done;
    if (total !== undefined) this.total = total;
    this.draw(false);
  }

  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.draw(true);
  }

  protected describe(): string {
    const elapsed = (performance.now() - this.started) / 1000;
    const rate = elapsed > 0 ? Math.round(this.done / elapsed) : 0;
    const counts =
      this.total === undefined ? `${formatCount(this.done)} ${this.unit}` : `${formatCount(this.done)}/${formatCount(this.total)} ${this.unit}`;
    return `${counts}, ${formatCount(rate)}/s, ${elapsed.toFixed(1)} s`;
  }

  protected fraction(): number | undefined {
    if (this.total === undefined) return undefined;
    return this.total === 0 ? 1 : Math.min(1, this.done / this.total);
  }

  protected abstract draw(final: boolean): void;
}

class BarProgress extends BaseProgress {
  #lastDraw = 0;

  protected draw(final: boolean): void {
    const now = performance.now();
    if (!final && now - this.#lastDraw < REDRAW_MS) return;
    this.#lastDraw = now;
    const fraction = this.fraction();
    const bar =
      fraction === undefined
        ? ''
        : `[${'#'.repeat(Math.round(fraction * BAR_WIDTH)).padEnd(BAR_WIDTH, '.')}] ${(fraction * 100).toFixed(0).padStart(3)}% `;
    const line = `${this.label} ${bar}${this.describe()}`;
    const width = this.output.columns ?? 100;
    this.output.write(`\r${line.slice(0, width - 1)}\x1b[K${final ? '\n' : ''}`);
  }
}

class LineProgress extends BaseProgress {
  readonly #interval: number;
  #lastLine: number;

  constructor(output: CliOutput, options: ProgressOptions) {
    super(output, options);
    this.#interval = options.lineIntervalMs ?? 2_000;
    this.#lastLine = this.started;
  }

  #printed = false;

  protected draw(final: boolean): void {
    const now = performance.now();
    // Work that ended before the first line was due needs no progress report at all.
    if (final ? !this.#printed && now - this.started < this.#interval : now - this.#lastLine < this.#interval) return;
    this.#lastLine = now;
    this.#printed = true;
    const fraction = this.fraction();
    const percent = fraction === undefined ? '' : ` (${(fraction * 100).toFixed(0)}%)`;
    this.output.write(`${this.label}: ${this.describe()}${percent}${final ? ', done' : ''}\n`);
  }
}
