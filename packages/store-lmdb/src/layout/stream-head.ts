/**
 * The state of a stream that expected versions and visibility depend on. It is derived on read
 * (see `IndexView.head`): the next version comes from the stream's last extent, so an ordinary
 * append writes no head at all (one index entry per append, not two). The `streams` database keeps
 * a stored head only for streams that were deleted or given metadata; it is rewritten when an
 * append restarts a soft-deleted stream. Stored as 17 bytes: `next` and `visibleFrom` as float64
 * (safe integers), then a flags byte.
 */
export type StreamHead = {
  /**
   * Number of versions ever allocated: the next event gets this version. In a stored head it is
   * the value at the last delete; the derived head takes the larger of it and the last extent's.
   */
  next: number;
  /** First version visible to reads (after a delete, one past the last deleted version). */
  visibleFrom: number;
  hardDeleted: boolean;
  /** Deleted (soft or hard) and not written since. */
  softDeleted: boolean;
};

const HEAD_BYTES = 17;
const FLAG_HARD = 1;
const FLAG_SOFT = 2;

// One scratch buffer: a put inside a write transaction copies the value at once.
const scratch = Buffer.alloc(HEAD_BYTES);

/**
 * Encodes a head into a shared scratch buffer, valid until the next call. Only pass the result to
 * a `put` inside a write transaction, which copies it straight away.
 */
export function encodeHead(head: StreamHead): Buffer {
  scratch.writeDoubleLE(head.next, 0);
  scratch.writeDoubleLE(head.visibleFrom, 8);
  scratch[16] = (head.hardDeleted ? FLAG_HARD : 0) | (head.softDeleted ? FLAG_SOFT : 0);
  return scratch;
}

/** Decodes a head (a fresh object). */
export function decodeHead(bytes: Uint8Array): StreamHead {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, HEAD_BYTES);
  const flags = view[16] as number;
  return {
    next: view.readDoubleLE(0),
    visibleFrom: view.readDoubleLE(8),
    hardDeleted: (flags & FLAG_HARD) !== 0,
    softDeleted: (flags & FLAG_SOFT) !== 0,
  };
}

/** The version of the stream's last visible event, or -1 when it has none (or no head). */
export function currentVersion(head: StreamHead | undefined): number {
  return head === undefined || head.next <= head.visibleFrom ? -1 : head.next - 1;
}

/** A head for a stream that has never been written. */
export function emptyHead(): StreamHead {
  return { next: 0, visibleFrom: 0, hardDeleted: false, softDeleted: false };
}
