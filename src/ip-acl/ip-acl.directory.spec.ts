import { AppConfig } from '../config/config.schema';
import { isDatabaseUnavailable } from '../database/database.errors';
import { ChangeHub } from '../key-cache/change.hub';
import { IpAclDirectory } from './ip-acl.directory';
import { IpAclRepository } from './ip-acl.repository';

const DEADLINE_MS = 500;
const LIST = '6f1c2a4e-0000-4000-8000-000000000002';

/** A repository whose reads hang until the test answers them. */
function hangingRepository() {
  const reads: { kind: string; answer: (value: unknown) => void }[] = [];
  const read = (kind: string) =>
    new Promise<unknown>((resolve) => reads.push({ kind, answer: resolve }));
  const repository = {
    all: () => read('all'),
    getById: () => read('getById'),
  } as unknown as IpAclRepository;
  return { reads, repository };
}

function directory(repository: IpAclRepository): IpAclDirectory {
  const config = { databaseQueryTimeoutMs: DEADLINE_MS } as AppConfig;
  return new IpAclDirectory(repository, {} as ChangeHub, config);
}

describe('IpAclDirectory under a database that answers nothing', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('drops a shared list lookup at the deadline, and looks up afresh on the next request', async () => {
    const { reads, repository } = hangingRepository();
    const lists = directory(repository);
    const waiting = Promise.allSettled([lists.matcher(LIST), lists.matcher(LIST)]);
    expect(reads).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(DEADLINE_MS);
    for (const outcome of await waiting) {
      expect(outcome.status).toBe('rejected');
      expect(isDatabaseUnavailable((outcome as PromiseRejectedResult).reason)).toBe(true);
    }

    const fresh = lists.matcher(LIST);
    expect(reads).toHaveLength(2);
    reads[1].answer(null);
    await expect(fresh).resolves.toBeNull();
  });

  it('drops a hung re-read of every list, so that the next one reads again', async () => {
    const { reads, repository } = hangingRepository();
    const lists = directory(repository);
    const [hung] = await Promise.all([
      Promise.allSettled([lists.refresh()]),
      jest.advanceTimersByTimeAsync(DEADLINE_MS),
    ]);
    expect(hung[0].status).toBe('rejected');

    const again = lists.refresh();
    expect(reads.map((read) => read.kind)).toEqual(['all', 'all']);
    reads[1].answer([]);
    await expect(again).resolves.toBeUndefined();
  });
});
