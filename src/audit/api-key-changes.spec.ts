import { fieldChanges, recordedFields } from './api-key-changes';

describe('the audit trail’s view of a key', () => {
  it('never records the key value or the instants', () => {
    expect(
      recordedFields({
        id: 'k1',
        key: 'secret-value',
        name: 'n',
        insertInstant: 1,
        lastUpdateInstant: 2,
      }),
    ).toEqual({ id: 'k1', name: 'n' });
  });

  it('lists the fields that changed, with both sides', () => {
    const before = {
      id: 'k1',
      key: 'old-secret',
      name: 'reader',
      permissions: { endpoints: { '/api/user': ['GET'] } },
      lastUpdateInstant: 1,
    };
    const after = {
      id: 'k1',
      key: 'new-secret',
      name: 'reader',
      permissions: { endpoints: { '/api/user': ['GET', 'POST'] } },
      expirationInstant: 99,
      lastUpdateInstant: 2,
    };
    expect(fieldChanges(before, after)).toEqual({
      permissions: {
        from: { endpoints: { '/api/user': ['GET'] } },
        to: { endpoints: { '/api/user': ['GET', 'POST'] } },
      },
      expirationInstant: { from: null, to: 99 },
    });
    expect(JSON.stringify(fieldChanges(before, after))).not.toContain('secret');
  });
});
