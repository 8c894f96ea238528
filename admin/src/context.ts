import { IpAcl, PermissionTable, Tenant } from './model';

/** What every screen gets from the shell. */
export interface Context {
  /** The screen's area. */
  main: HTMLElement;
  /** A message for the person, in the shell's status area. */
  notify(message: string, kind?: 'info' | 'error'): void;
}

/** Lookups the key screens share: the permission table, and names for ids where the key may read them. */
export interface Directory {
  table: PermissionTable;
  /** Null when the signed-in key may not list tenants. */
  tenants: Tenant[] | null;
  /** Null when the signed-in key may not search IP ACLs (a tenant-scoped key never may). */
  acls: IpAcl[] | null;
}
