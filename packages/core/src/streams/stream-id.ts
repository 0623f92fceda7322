import { InvalidArgumentError } from '../errors/errors.js';

/** Longest stream id accepted, in UTF-16 code units (keeps index keys well inside LMDB's key limit). */
export const MAX_STREAM_ID_LENGTH = 200;

const CATEGORY = /^[A-Za-z][A-Za-z0-9_.]*$/;
// Control characters and lone surrogates would break index keys and logs.
const FORBIDDEN = /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Checks that `streamId` is `<category>-<id>`: a category of letters, digits, `_` and `.` starting
 * with a letter, a `-`, then a non-empty id without control characters, at most
 * {@link MAX_STREAM_ID_LENGTH} long. Throws `INVALID_ARGUMENT` otherwise.
 */
export function validateStreamId(streamId: unknown): asserts streamId is string {
  if (typeof streamId !== 'string') {
    throw new InvalidArgumentError('stream id', `expected a string, got ${typeof streamId}`);
  }
  const dash = streamId.indexOf('-');
  if (dash <= 0 || dash === streamId.length - 1) {
    throw new InvalidArgumentError('stream id', `'${printable(streamId)}' is not of the form <category>-<id>`);
  }
  if (streamId.length > MAX_STREAM_ID_LENGTH) {
    throw new InvalidArgumentError('stream id', `longer than ${MAX_STREAM_ID_LENGTH} characters`);
  }
  if (!CATEGORY.test(streamId.slice(0, dash))) {
    throw new InvalidArgumentError(
      'stream id',
      `category of '${printable(streamId)}' must start with a letter and hold only letters, digits, '_' and '.'`,
    );
  }
  if (FORBIDDEN.test(streamId)) {
    throw new InvalidArgumentError('stream id', 'contains control characters or unpaired surrogates');
  }
}

/** The category of a stream id: the part before the first `-` (`account` for `account-42`). */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}

function printable(value: string): string {
  const cut = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  return cut.replace(/[\u0000-\u001f\u007f]/g, '?');
}
