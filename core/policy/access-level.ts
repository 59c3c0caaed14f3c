/** Access levels of the Service Authorization Reference. */
export type AccessLevel = "List" | "Read" | "Write" | "Permissions management" | "Tagging";

/** Display and sort order of access levels, from least to most powerful. */
export const ACCESS_LEVEL_ORDER: readonly AccessLevel[] = [
  "List",
  "Read",
  "Tagging",
  "Write",
  "Permissions management",
];
