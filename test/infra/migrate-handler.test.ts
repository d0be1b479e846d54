import { describe, expect, it } from 'vitest';
import { handler, isTransientConnectionError } from '../../functions/workers/migrate.ts';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('migrate worker', () => {
  it('returns no names when the schema is already current (the harness migrated it)', async () => {
    await expect(handler()).resolves.toEqual([]);
  });

  it('retries connection failures only, not SQL errors', () => {
    expect(isTransientConnectionError(withCode('ECONNREFUSED'))).toBe(true);
    expect(isTransientConnectionError(withCode('ENOTFOUND'))).toBe(true);
    expect(isTransientConnectionError(withCode('08006'))).toBe(true);
    expect(isTransientConnectionError(withCode('57P03'))).toBe(true);
    expect(isTransientConnectionError(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isTransientConnectionError(withCode('42P01', 'relation "x" does not exist'))).toBe(false);
    expect(isTransientConnectionError(withCode('23505'))).toBe(false);
    expect(isTransientConnectionError(new Error('Invalid database configuration'))).toBe(false);
    expect(isTransientConnectionError('nope')).toBe(false);
  });
});
