import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { InvalidArgumentError } from '@strata/core';
import type { MonitorSnapshot } from '../snapshot/monitor-snapshot.js';
import { renderTop } from './render-top.js';
import { SseParser } from './sse-parser.js';

/** Where frames are written: a stream, with terminal facts when it is one. */
export type TopOutput = { write(text: string): unknown; columns?: number; isTTY?: boolean };

/** Settings of {@link runStrataTop}. */
export type StrataTopOptions = {
  /** The monitor's base URL: `http://127.0.0.1:9464`, or `http://host:3000/monitor` when mounted. */
  url: string;
  /** Default `process.stdout`. */
  output?: TopOutput;
  /** ANSI colours (default: when the output is a terminal). */
  color?: boolean;
  /** Render the first snapshot and return (for scripts and tests). */
  once?: boolean;
  /** Stops the view. */
  signal?: AbortSignal;
  /** Wait before reconnecting after the stream ends, in ms (default 2000). */
  reconnectMs?: number;
};

const CLEAR = '\x1b[H\x1b[2J';
const HISTORY = 60;

/**
 * A terminal view of a monitor for servers without a browser: connects to its `events` stream
 * and redraws a text screen on every sample, reconnecting when the stream drops. Resolves when
 * `signal` aborts (or after the first frame with `once`).
 *
 * @throws InvalidArgumentError (argument `url`) for a URL that is not http(s).
 */
export async function runStrataTop(options: StrataTopOptions): Promise<void> {
  let base: URL;
  try {
    base = new URL(options.url);
  } catch {
    throw new InvalidArgumentError('url', `'${options.url}' is not a URL`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new InvalidArgumentError('url', 'expected an http or https URL');
  const events = new URL(`${base.pathname.replace(/\/$/, '')}/events`, base);
  const output = options.output ?? process.stdout;
  const color = options.color ?? output.isTTY === true;
  const fullScreen = output.isTTY === true && options.once !== true;
  const history: number[] = [];
  const draw = (snapshot: MonitorSnapshot): void => {
    history.push(snapshot.store.eventsPerSec);
    if (history.length > HISTORY) history.shift();
    const frame = renderTop(snapshot, { width: output.columns ?? 100, color, eventsPerSecHistory: history, source: base.href });
    output.write(fullScreen ? CLEAR + frame : frame);
  };

  // A function, not a property test: the signal changes state while we await.
  const aborted = (): boolean => options.signal?.aborted === true;
  while (!aborted()) {
    try {
      const done = await stream(events, options.signal, (name, data) => {
        if (name === 'history') {
          const snapshots = JSON.parse(data) as MonitorSnapshot[];
          for (const s of snapshots.slice(-HISTORY, -1)) history.push(s.store.eventsPerSec);
          const last = snapshots[snapshots.length - 1];
          if (last !== undefined) draw(last);
          return last !== undefined && options.once === true;
        }
        if (name === 'snapshot') {
          draw(JSON.parse(data) as MonitorSnapshot);
          return options.once === true;
        }
        return false;
      });
      if (done) return;
    } catch (error) {
      if (aborted()) return;
      if (options.once === true) throw error;
      output.write(`${fullScreen ? CLEAR : ''}cannot reach ${events.href}: ${error instanceof Error ? error.message : String(error)} — retrying\n`);
    }
    if (options.once === true) return;
    await delay(options.reconnectMs ?? 2000, options.signal);
  }
}

/** Reads the event stream until `onEvent` returns true (resolves true), it ends (false), or abort. */
function stream(url: URL, signal: AbortSignal | undefined, onEvent: (event: string, data: string) => boolean): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const get = url.protocol === 'https:' ? httpsGet : httpGet;
    const request = get(url, { headers: { Accept: 'text/event-stream' }, signal }, (response: IncomingMessage) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`HTTP ${response.statusCode ?? '?'}`));
        return;
      }
      const parser = new SseParser();
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        try {
          for (const { event, data } of parser.push(chunk)) {
            if (onEvent(event, data)) {
              request.destroy();
              resolve(true);
              return;
            }
          }
        } catch (error) {
          request.destroy();
          reject(error);
        }
      });
      response.on('end', () => resolve(false));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
