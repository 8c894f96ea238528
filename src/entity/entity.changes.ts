import { ChangeEvent } from '../key-cache/key-change.bus';
import { ChangeHub } from '../key-cache/change.hub';

/**
 * Runs a write, then announces its changes, even when the write failed: one that timed
 * out may have committed, and a revoked grant must stop counting on every replica (an
 * announcement only makes them read again).
 */
export async function announcedAfter(
  hub: ChangeHub,
  events: ChangeEvent[],
  write: () => Promise<void>,
): Promise<void> {
  try {
    await write();
  } finally {
    await hub.announce(...events);
  }
}

export const entityChanged = (entityId: string): ChangeEvent => ({
  type: 'entity.changed',
  entityId,
});

export const entityTypeChanged = (entityTypeId: string): ChangeEvent => ({
  type: 'entityType.changed',
  entityTypeId,
});
