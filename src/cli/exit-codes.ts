/**
 * What `dexa` exits with: 1 for a wrong command line (commander's own, and an impossible
 * `--date`), 2 when any input was bad or a path, the store or the configuration is wrong, 3 when
 * QA found drift, 4 when another service holds the store, 5 for an unexpected error (a bug).
 */
export const ExitCode = {
  Ok: 0,
  Usage: 1,
  BadInput: 2,
  QaDrift: 3,
  StoreInUse: 4,
  Internal: 5,
} as const;
