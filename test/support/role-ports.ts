import type { MemoryAccount } from "../../adapters/memory/account.ts";
import type { RoleChangePorts } from "../../core/use-cases/evaluate-role-change.ts";

/** Every role-change port served by one in-memory account. */
export const rolePortsOf = (account: MemoryAccount): RoleChangePorts => ({
  roles: account,
  managedPolicies: account,
  clusters: account,
  attachments: account,
});

/**
 * Role-change ports over a MemoryAccount that measure the sequential round trips: a call's depth
 * is one more than the deepest call already answered when it started; calls made together share
 * a depth. The role source hands over no early policy ARNs (see `RoleSource.loadRole`).
 */
export function measuredRolePorts(account: MemoryAccount) {
  let answered = 0;
  let deepest = 0;
  const track =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const depth = answered + 1;
      const result = await fn(...args);
      answered = Math.max(answered, depth);
      deepest = Math.max(deepest, depth);
      return result;
    };
  const ports: RoleChangePorts = {
    roles: { loadRole: track((name: string) => account.loadRole(name)) },
    managedPolicies: { loadManagedPolicy: track((arn: string) => account.loadManagedPolicy(arn)) },
    clusters: { clustersIn: track((region: string) => account.clustersIn(region)) },
    attachments: { rolesAttachedTo: track((arn: string) => account.rolesAttachedTo(arn)) },
  };
  return { ports, sequentialCalls: () => deepest };
}
