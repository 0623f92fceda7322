import { describe, expect, it } from 'vitest';
import { classifyPgError } from './classify-pg-error.js';

const sql = (code: string) => Object.assign(new Error(`sqlstate ${code}`), { code });

describe('classifyPgError', () => {
  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'connection'],
    ['reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'connection'],
    ['terminated', new Error('Connection terminated unexpectedly'), 'connection'],
    ['not queryable', new Error('Client has encountered a connection error and is not queryable'), 'connection'],
    ['connection class 08', sql('08006'), 'connection'],
    ['admin shutdown', sql('57P01'), 'unavailable'],
    ['crash shutdown', sql('57P02'), 'unavailable'],
    ['starting up', sql('57P03'), 'unavailable'],
    ['too many connections', sql('53300'), 'unavailable'],
  ])('treats %s as transient and as a failure of the server', (_name, error, kind) => {
    expect(classifyPgError(error)).toMatchObject({ kind, transient: true, tripsBreaker: true });
  });

  it.each([
    ['serialization failure', '40001'],
    ['deadlock', '40P01'],
    ['lock not available', '55P03'],
  ])('retries a %s but never lets it trip the breaker', (_name, code) => {
    expect(classifyPgError(sql(code))).toEqual({ kind: 'conflict', transient: true, tripsBreaker: false, sqlState: code });
  });

  it.each([
    ['unique violation', '23505'],
    ['foreign key violation', '23503'],
    ['syntax error', '42601'],
    ['undefined table', '42P01'],
    ['invalid text representation', '22P02'],
    ['raised exception', 'P0001'],
  ])('never retries a %s and never lets it trip the breaker', (_name, code) => {
    expect(classifyPgError(sql(code))).toEqual({ kind: 'statement', transient: false, tripsBreaker: false, sqlState: code });
  });

  it('tells a saturated pool from a dead server', () => {
    expect(classifyPgError(new Error('timeout exceeded when trying to connect'))).toMatchObject({ kind: 'saturated', tripsBreaker: false });
    expect(classifyPgError(new Error('Connection terminated due to connection timeout'))).toMatchObject({ kind: 'connection', tripsBreaker: true });
  });

  it('counts timeouts against the server without retrying them', () => {
    expect(classifyPgError(sql('57014'))).toMatchObject({ kind: 'timeout', transient: false, tripsBreaker: true });
    expect(classifyPgError(new Error('Query read timeout'))).toMatchObject({ kind: 'timeout', transient: false, tripsBreaker: true });
  });

  it('looks through a cause, and leaves anything else unknown', () => {
    const wrapped = new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'ECONNRESET' }) });
    expect(classifyPgError(wrapped).kind).toBe('connection');
    expect(classifyPgError(new TypeError('bad parameter'))).toMatchObject({ kind: 'unknown', transient: false, tripsBreaker: false });
    expect(classifyPgError(undefined).kind).toBe('unknown');
  });
});
