import { randomBytes } from 'node:crypto';

/** A 15-hex-digit random id of one store, fixed when the store is created. */
const STORE_ID = /^[0-9a-f]{15}$/;
/** The part of a generated id after the store's prefix: variant digit, 3 + 12 hex digits of the position. */
const TAIL = /^8[0-9a-f]{3}-[0-9a-f]{12}$/;
const PREFIX_LENGTH = 19;

/**
 * Event ids the store generates for events appended without one. Each is a UUID (version 8, the
 * RFC 9562 layout for custom UUIDs) made of the store's random 60-bit id and the event's global
 * position: `ssssssss-ssss-8sss-8ppp-pppppppppppp`. Positions are unique and never reused, so the
 * ids are unique store-wide, and the store needs no index entry for them: an append that carries
 * such an id is recognised by decoding its position and looking at the log there.
 */
export class GeneratedIds {
  readonly #prefix: string;
  /**
   * The id of position 0: records are encoded with it before their position is known, and the
   * write transaction writes the position's hex digits into it in place.
   */
  readonly template: string;

  /** @param storeId - the store's 15-hex-digit id (see {@link newStoreId}). */
  constructor(storeId: string) {
    if (!STORE_ID.test(storeId)) throw new RangeError(`invalid store id '${storeId}'`);
    this.#prefix = `${storeId.slice(0, 8)}-${storeId.slice(8, 12)}-8${storeId.slice(12, 15)}-`;
    this.template = this.idFor(0);
  }

  /** The id of the event at `position`. */
  idFor(position: number): string {
    const hex = position.toString(16).padStart(15, '0');
    return `${this.#prefix}8${hex.slice(0, 3)}-${hex.slice(3)}`;
  }

  /** The position a generated id of this store encodes, or `undefined` for any other id. */
  positionOf(id: string): number | undefined {
    if (id.length !== PREFIX_LENGTH + 17 || !id.startsWith(this.#prefix)) return undefined;
    const tail = id.slice(PREFIX_LENGTH);
    if (!TAIL.test(tail)) return undefined;
    const position = Number.parseInt(tail.slice(1, 4) + tail.slice(5), 16);
    return Number.isSafeInteger(position) ? position : undefined;
  }
}

/** A new random store id. */
export function newStoreId(): string {
  return randomBytes(8).toString('hex').slice(0, 15);
}

/** Whether a value is a valid store id. */
export function isStoreId(value: unknown): value is string {
  return typeof value === 'string' && STORE_ID.test(value);
}
