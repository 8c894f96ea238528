/**
 * Equal values kept once. Many cached keys share a tenant, an IP ACL and a permission
 * set; without this each would hold its own copy of each. Bounded: past `max` distinct
 * values it starts afresh (values already handed out stay valid, only unshared).
 */
export class Interner<T> {
  private readonly values = new Map<string, T>();

  constructor(private readonly max: number) {}

  /** The value held for `key`, or `value`, now held for it. */
  intern(key: string, value: T): T {
    const held = this.values.get(key);
    if (held !== undefined) return held;
    if (this.values.size >= this.max) this.values.clear();
    this.values.set(key, value);
    return value;
  }
}
