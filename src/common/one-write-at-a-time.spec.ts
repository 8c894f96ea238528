import { OneWriteAtATime } from './one-write-at-a-time';

describe('OneWriteAtATime', () => {
  it('starts a write only after the one under way has ended', async () => {
    const writes = new OneWriteAtATime();
    const events: string[] = [];
    let release!: () => void;
    const first = writes.run(() => {
      events.push('first starts');
      return new Promise<void>((resolve) => (release = resolve)).then(() => {
        events.push('first ends');
      });
    });
    const second = writes.run(() => {
      events.push('second starts');
      return Promise.resolve();
    });
    await Promise.resolve();
    expect(events).toEqual(['first starts']);
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(['first starts', 'first ends', 'second starts']);
  });

  it('does nothing when there is nothing to write, and goes on after a failed write', async () => {
    const writes = new OneWriteAtATime();
    await expect(writes.run(() => null)).resolves.toBeUndefined();
    await expect(writes.run(() => Promise.reject(new Error('down')))).rejects.toThrow('down');
    let ran = false;
    await writes.run(() => {
      ran = true;
      return Promise.resolve();
    });
    expect(ran).toBe(true);
  });
});
