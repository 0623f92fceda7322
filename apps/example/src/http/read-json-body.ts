import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors/api-error.js';

const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * Reads a JSON request body of at most `maxBytes`: refuses other content types (415), bodies
 * that announce or reach more than `maxBytes` (413, without reading the rest), invalid UTF-8 and
 * malformed JSON (400). An empty body is `{}` for bodiless commands.
 */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const length = request.headers['content-length'];
  const chunked = request.headers['transfer-encoding'] !== undefined;
  if (length === '0' || (length === undefined && !chunked)) return {};
  const type = request.headers['content-type'];
  if (type === undefined || !JSON_TYPE.test(type)) {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json (UTF-8)');
  }
  if (length !== undefined && Number(length) > maxBytes) {
    throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `the body is larger than ${maxBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `the body is larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, size));
  } catch {
    throw new ApiError(400, 'MALFORMED_JSON', 'the body is not valid UTF-8');
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'MALFORMED_JSON', 'the body is not valid JSON');
  }
}
