/** What `dexa` exits with: 1 for a wrong command line (commander's own), 2 when any input was bad, 3 when QA found drift, 4 when another service holds the store. */
export const ExitCode = {
  Ok: 0,
  Usage: 1,
  BadInput: 2,
  QaDrift: 3,
  StoreInUse: 4,
} as const;
