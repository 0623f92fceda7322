/** Options of `PgPool.listen`. */
export type ListenOptions = {
  /**
   * Called after the listening connection was lost and is listening again. Notifications sent
   * meanwhile are lost, so a consumer that uses them as wake-ups should re-read its source now.
   */
  onReconnect?(): void;
  /** Called with each failure of the listening connection (it reconnects on its own). */
  onError?(error: unknown): void;
};

/** A LISTEN on one channel over a dedicated connection that reconnects by itself. */
export interface PgListener {
  /** The channel listened to. */
  readonly channel: string;
  /** Whether the connection is up and listening. */
  readonly listening: boolean;
  /** Stops listening and closes the connection. Idempotent. */
  close(): Promise<void>;
}
