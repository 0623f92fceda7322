import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser.js';

describe('SseParser', () => {
  it('assembles events split across chunks and skips comments and retry fields', () => {
    const parser = new SseParser();
    expect(parser.push('retry: 2000\n\n: a comment\nevent: snap')).toEqual([]);
    expect(parser.push('shot\ndata: {"a":1}\n\ndata: line one\r\ndata: line two\r\n\r\nevent: x\n')).toEqual([
      { event: 'snapshot', data: '{"a":1}' },
      { event: 'message', data: 'line one\nline two' },
    ]);
    expect(parser.push('data:no-space\n\n')).toEqual([{ event: 'x', data: 'no-space' }]);
  });
});
