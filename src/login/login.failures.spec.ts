import { FailureTally, TALLY_MAX_KEYS } from './login.failures';

describe('FailureTally', () => {
  it('counts per subject and per address, most refused first', () => {
    const tally = new FailureTally(1000);
    tally.record('u1', '10.0.0.1');
    tally.record('u2', '10.0.0.1');
    tally.record('u1', '10.0.0.2');
    expect(tally.view()).toEqual({
      startedAt: 1000,
      total: 3,
      subjects: [
        { key: 'u1', count: 2 },
        { key: 'u2', count: 1 },
      ],
      addresses: [
        { key: '10.0.0.1', count: 2 },
        { key: '10.0.0.2', count: 1 },
      ],
      untracked: 0,
    });
  });

  it('stays bounded under a flood of distinct subjects, and counts what it cannot track', () => {
    const tally = new FailureTally(0);
    for (let i = 0; i < TALLY_MAX_KEYS + 50; i++) tally.record(`u${i}`, '10.0.0.1');
    const view = tally.view();
    expect(view.total).toBe(TALLY_MAX_KEYS + 50);
    expect(view.untracked).toBe(50);
    expect(view.subjects).toHaveLength(10);
  });

  it('starts each window empty', () => {
    const tally = new FailureTally(0);
    tally.record('u1', 'a');
    expect(tally.roll(5).total).toBe(1);
    expect(tally.view()).toEqual({
      startedAt: 5,
      total: 0,
      subjects: [],
      addresses: [],
      untracked: 0,
    });
  });
});
