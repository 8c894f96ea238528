import { AppConfig } from '../config/config.schema';
import { isDatabaseUnavailable } from '../database/database.errors';
import { ChangeHub } from '../key-cache/change.hub';
import { TenantDirectory } from './tenant.directory';
import { TenantRepository } from './tenant.repository';

const DEADLINE_MS = 500;
const TENANT = '6f1c2a4e-0000-4000-8000-000000000001';

/** A repository whose reads hang until the test answers them. */
function hangingRepository() {
  const reads: { kind: string; answer: (value: unknown) => void }[] = [];
  const read = (kind: string) =>
    new Promise<unknown>((resolve) => reads.push({ kind, answer: resolve }));
  const repository = {
    ids: () => read('ids'),
    exists: () => read('exists'),
  } as unknown as TenantRepository;
  return { reads, repository };
}

function directory(repository: TenantRepository): TenantDirectory {
  const config = { databaseQueryTimeoutMs: DEADLINE_MS } as AppConfig;
  return new TenantDirectory(repository, {} as ChangeHub, config);
}

async function settle<T>(work: Promise<T>): Promise<PromiseSettledResult<T>> {
  const [outcome] = await Promise.allSettled([work]);
  return outcome;
}

describe('TenantDirectory under a database that answers nothing', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('drops a shared tenant check at the deadline, and checks afresh on the next request', async () => {
    const { reads, repository } = hangingRepository();
    const tenants = directory(repository);
    const first = settle(tenants.exists(TENANT) as Promise<boolean>);
    const joined = settle(tenants.exists(TENANT) as Promise<boolean>);
    expect(reads).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(DEADLINE_MS);
    for (const outcome of [await first, await joined]) {
      expect(outcome.status).toBe('rejected');
      expect(isDatabaseUnavailable((outcome as PromiseRejectedResult).reason)).toBe(true);
    }

    const fresh = tenants.exists(TENANT);
    expect(reads).toHaveLength(2);
    reads[1].answer(true);
    await expect(fresh).resolves.toBe(true);
    expect(tenants.exists(TENANT)).toBe(true);
  });

  it('drops a hung re-read of the tenants, so that the next one reads again', async () => {
    const { reads, repository } = hangingRepository();
    const tenants = directory(repository);
    const hung = settle(tenants.refresh());
    await jest.advanceTimersByTimeAsync(DEADLINE_MS);
    expect((await hung).status).toBe('rejected');

    const again = tenants.refresh();
    expect(reads.map((read) => read.kind)).toEqual(['ids', 'ids']);
    reads[1].answer([TENANT]);
    await again;
    expect(tenants.soleTenantId()).toBe(TENANT);
  });
});
