import { inRange, IpAddress, IpRange, parseIp } from './ip-address';

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

interface Rule extends IpRange {
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
    private readonly rules: readonly Rule[],
    private readonly allowByDefault: boolean,
  ) {}

  /** A list that does not compile (no default, an unreadable range) refuses everyone. */
  static readonly refuseAll = new IpAclMatcher([], false);

  static compile(entries: readonly IpAclEntry[]): IpAclMatcher {
    const defaults = entries.filter((entry) => entry.startIPAddress === DEFAULT_START);
    if (defaults.length !== 1) return IpAclMatcher.refuseAll;
    const rules: Rule[] = [];
    for (const entry of entries) {
      if (entry.startIPAddress === DEFAULT_START) continue;
      const range = entryRange(entry);
      if (range === null) return IpAclMatcher.refuseAll;
      rules.push({ ...range, allow: entry.action === 'Allow' });
    }
    return new IpAclMatcher(rules, defaults[0].action === 'Allow');
  }

  /** Whether a request from `address` may pass; an unknown address may not. */
  allows(address: IpAddress | null): boolean {
    if (address === null) return false;
    for (const rule of this.rules) if (inRange(rule, address)) return rule.allow;
    return this.allowByDefault;
  }
}

/** The range a non-default entry covers: both ends of one family, start ≤ end. */
export function entryRange(entry: IpAclEntry): IpRange | null {
  const start = parseIp(entry.startIPAddress);
  const end = entry.endIPAddress === undefined ? null : parseIp(entry.endIPAddress);
  if (start === null || end === null) return null;
  if (start.family !== end.family || start.value > end.value) return null;
  return { family: start.family, start: start.value, end: end.value };
}
