/** A one-line progress bar on a stream (stderr by default), redrawn in place on a TTY. */
export class ProgressBar {
  readonly #stream: NodeJS.WriteStream;
  readonly #width: number;
  #lastLine = 0;

  constructor(stream: NodeJS.WriteStream = process.stderr, width = 30) {
    this.#stream = stream;
    this.#width = width;
  }

  /** Draws `fraction` (0-1) with a status text; off a TTY, prints a line at most every 2 s. */
  update(fraction: number, status: string): void {
    const clamped = Math.min(1, Math.max(0, fraction));
    const filled = Math.round(clamped * this.#width);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(this.#width - filled)}] ${(clamped * 100).toFixed(0).padStart(3)}% ${status}`;
    if (this.#stream.isTTY) {
      this.#stream.write(`\r${line}\x1b[K`);
    } else if (Date.now() - this.#lastLine >= 2_000 || clamped === 1) {
      this.#lastLine = Date.now();
      this.#stream.write(`${line}\n`);
    }
  }

  /** Ends the bar's line. */
  done(): void {
    if (this.#stream.isTTY) this.#stream.write('\n');
  }
}
