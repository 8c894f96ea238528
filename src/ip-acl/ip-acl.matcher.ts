import { AddressSet, IpAddress } from './ip-address';

export const ACTIONS = ['Allow', 'Block'] as const;
export type IpAclAction = (typeof ACTIONS)[number];

/** The `startIPAddress` of the entry that holds the default action. */
export const DEFAULT_START = '*';

/** One entry as stored and shown; the default entry has no `endIPAddress`. */
export interface IpAclEntry {
  readonly action: IpAclAction;
  readonly startIPAddress: string;
  readonly endIPAddress?: string;
}

/**
 * Consecutive entries of one action, as one list: under "first match wins" the first of
 * them to match and any of them to match decide alike.
 */
interface RuleGroup {
  readonly ranges: AddressSet;
  readonly allow: boolean;
}

/**
 * An IP access control list compiled once for the request path. Entries are evaluated
 * in the order given: the first range entry that contains the address decides; an
 * address no range contains gets the default (`*`) entry's action. FusionAuth does not
 * document an order; "first match wins" is the rule of firewalls and nginx's
 * allow/deny, and lets an operator carve an exception out of a wider range by listing
 * it first.
 */
export class IpAclMatcher {
  private constructor(
    private readonly groups: readonly RuleGroup[],
    private readonly allowByDefault: boolean,
  ) {}

  /** A list that does not compile (no default, an unreadable range) refuses everyone. */
  static readonly refuseAll = new IpAclMatcher([], false);

  static compile(entries: readonly IpAclEntry[]): IpAclMatcher {
    const defaults = entries.filter((entry) => entry.startIPAddress === DEFAULT_START);
    if (defaults.length !== 1) return IpAclMatcher.refuseAll;
    const groups: RuleGroup[] = [];
    for (const entry of entries) {
      if (entry.startIPAddress === DEFAULT_START) continue;
      const allow = entry.action === 'Allow';
      let group = groups.at(-1);
      if (group?.allow !== allow) groups.push((group = { ranges: new AddressSet(), allow }));
      if (!addEntry(group.ranges, entry)) return IpAclMatcher.refuseAll;
    }
    return new IpAclMatcher(groups, defaults[0].action === 'Allow');
  }

  /** Whether a request from `address` may pass; an unknown address may not. */
  allows(address: IpAddress | null): boolean {
    if (address === null) return false;
    for (const group of this.groups) if (group.ranges.has(address)) return group.allow;
    return this.allowByDefault;
  }
}

/** Adds the range a non-default entry covers (both ends of one family, start ≤ end). */
function addEntry(set: AddressSet, entry: IpAclEntry): boolean {
  return entry.endIPAddress !== undefined && set.addRange(entry.startIPAddress, entry.endIPAddress);
}

/** Whether a non-default entry names a range: both ends of one family, start ≤ end. */
export function isRangeEntry(entry: IpAclEntry): boolean {
  return addEntry(new AddressSet(), entry);
}
