import { recordIntent } from "../alerts/journal.ts";
import type { AlertStateStore, RemediationJournal } from "../ports.ts";

/**
 * The remediation journal kept in the alert state: `begin` reads the resource's record and
 * writes it back with the intent, conditional on the revision read (two sequential round trips
 * before the remediation write); `recall` reads it (one).
 */
export function alertStateJournal(store: AlertStateStore): RemediationJournal {
  return {
    async recall(resource) {
      const record = (await store.get(resource))?.record;
      const { intent, lastWrite } = record ?? {};
      return {
        ...(intent === undefined ? {} : { intent }),
        ...(lastWrite === undefined ? {} : { lastWrite }),
      };
    },
    async begin(intent) {
      const stored = await store.get(intent.resource);
      await store.put(recordIntent(stored?.record, intent), stored?.revision);
    },
  };
}
