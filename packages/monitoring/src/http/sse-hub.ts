import type { IncomingMessage, ServerResponse } from 'node:http';

/** A client further behind than this is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * Server-sent-event clients of the monitor. Each sample is serialised once and written to every
 * client; a client whose socket stops draining is disconnected (its browser reconnects).
 */
export class SseHub {
  readonly #clients = new Set<ServerResponse>();

  /** Clients connected. */
  get size(): number {
    return this.#clients.size;
  }

  /** Turns a request into an event stream and sends it `initial` events first. */
  open(req: IncomingMessage, res: ServerResponse, initial: ReadonlyArray<readonly [event: string, data: string]>): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    for (const [event, data] of initial) res.write(frame(event, data));
    this.#clients.add(res);
    const drop = (): void => {
      this.#clients.delete(res);
    };
    req.on('close', drop);
    res.on('close', drop);
  }

  /** Sends one event to every client. `data` must be one line (JSON is). */
  send(event: string, data: string): void {
    if (this.#clients.size === 0) return;
    const text = frame(event, data);
    for (const client of this.#clients) {
      if (client.writableLength > MAX_BUFFERED_BYTES) {
        client.destroy();
        this.#clients.delete(client);
      } else {
        client.write(text);
      }
    }
  }

  /** Ends every stream. */
  close(): void {
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }
}

function frame(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}
