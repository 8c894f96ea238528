import { isDatabaseUnavailable } from './database.errors';
import { DeadlineExceeded, withDeadline } from './deadline';

describe('withDeadline', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('settles with the work when it settles in time', async () => {
    await expect(withDeadline(Promise.resolve(42), 1_000, 'a lookup')).resolves.toBe(42);
    const failure = new Error('refused');
    await expect(withDeadline(Promise.reject(failure), 1_000, 'a lookup')).rejects.toBe(failure);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects at the deadline when the work never settles, as a database outage', async () => {
    const hung = withDeadline(new Promise<number>(() => undefined), 500, 'a key lookup');
    const settled = jest.fn();
    hung.then(settled, settled);
    await jest.advanceTimersByTimeAsync(499);
    expect(settled).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    const error = settled.mock.calls[0]?.[0] as unknown;
    expect(error).toBeInstanceOf(DeadlineExceeded);
    expect(error).toMatchObject({
      code: 'DEADLINE_EXCEEDED',
      message: 'a key lookup took longer than 500 ms',
    });
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('ignores what the work settles with after the deadline', async () => {
    let finish!: (value: string) => void;
    const late = withDeadline(
      new Promise<string>((resolve) => (finish = resolve)),
      100,
      'a lookup',
    );
    const outcome = late.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    await jest.advanceTimersByTimeAsync(100);
    finish('too late');
    expect(await outcome).toEqual({ error: expect.any(DeadlineExceeded) as unknown });
  });
});
