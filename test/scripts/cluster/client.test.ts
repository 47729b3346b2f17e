import { describe, expect, it } from 'vitest';
import { isTransient, retryTransient, TransientError } from '../../../scripts/cluster/client.ts';

describe('retryTransient', () => {
  const noWait = async () => {};

  it('retries transient failures with growing waits until the attempt succeeds', async () => {
    const waits: number[] = [];
    let calls = 0;
    const value = await retryTransient(
      async () => {
        calls += 1;
        if (calls < 5) throw new TransientError(`busy ${calls}`);
        return 'ok';
      },
      Date.now() + 60_000,
      (_error, waitMs) => waits.push(waitMs),
      noWait,
    );
    expect(value).toBe('ok');
    expect(calls).toBe(5);
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('caps the wait at 8 s', async () => {
    const waits: number[] = [];
    let calls = 0;
    await retryTransient(async () => {
      calls += 1;
      if (calls < 7) throw new TransientError('busy');
      return calls;
    }, Date.now() + 600_000, (_e, w) => waits.push(w), noWait);
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });

  it('throws other errors at once', async () => {
    let calls = 0;
    await expect(retryTransient(async () => {
      calls += 1;
      throw new Error('HTTP 403 forbidden');
    }, Date.now() + 60_000, () => {}, noWait)).rejects.toThrow('HTTP 403 forbidden');
    expect(calls).toBe(1);
  });

  it('gives up on a transient failure when the next try would pass the deadline', async () => {
    let calls = 0;
    await expect(retryTransient(async () => {
      calls += 1;
      throw new TransientError('still busy');
    }, Date.now() + 2_500, () => {}, noWait)).rejects.toThrow('still busy');
    // The clock does not move here (no real waits): the 1 s and 2 s waits end before the deadline
    // 2.5 s from now, the 4 s one would not, so the third failure is thrown.
    expect(calls).toBe(3);
  });
});

describe('isTransient', () => {
  it.each([
    [{ status: 429 }, true],
    [{ status: 500 }, true],
    [{ status: 503 }, true],
    [{ status: 404 }, false],
    [{ status: 403 }, false],
    [{ code: 'ECONNRESET' }, true],
    [{ code: 'ECONNREFUSED' }, true],
    [{ message: 'timeout' }, true],
    [{ code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' }, false],
  ])('%j -> %s', (failure, expected) => {
    expect(isTransient(failure)).toBe(expected);
  });
});
