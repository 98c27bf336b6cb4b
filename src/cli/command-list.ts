import type { Command } from 'commander';

type Register = (program: Command) => void;

export interface CommandEntry {
  /** as the top-level help lists it: the name, `[options]` when it has any, its arguments */
  term: string;
  description: string;
  load(): Promise<Register>;
}

/**
 * Every command, with what the top-level help shows of it, so that help lists them all without
 * loading any (tests/cli/command-list.test.ts checks the table against the commands themselves).
 * A command's module is loaded only when it runs or its own help is asked.
 */
export const COMMANDS: Record<string, CommandEntry> = {
  ingest: {
    term: 'ingest [options] <paths...>',
    description: 'read DXA exports, merge the instances of each study, classify it and print the result, study by study',
    load: async () => (await import('./ingest-command.ts')).registerIngest,
  },
  render: {
    term: 'render [options] <paths...>',
    description: 'read DXA exports and write the patient and GP letters as PDF',
    load: async () => (await import('./render-command.ts')).registerRender,
  },
  qa: {
    term: 'qa [options] [dir]',
    description: 'run the fixture scans through extraction, classification and both letters, and compare with the goldens',
    load: async () => (await import('./qa-command.ts')).registerQa,
  },
  watch: {
    term: 'watch [options]',
    description: 'watch the inbox: take each export as it completes, classify its study, write or hold its letters',
    load: async () => (await import('./watch-command.ts')).registerWatch,
  },
  status: {
    term: 'status [options]',
    description: 'counts of files, studies and letters per state, the files still waiting, and any file in out/ the store cannot account for',
    load: async () => (await import('./status-command.ts')).registerStatus,
  },
  review: {
    term: 'review',
    description: 'the studies whose letters are held for review',
    load: async () => (await import('./review-command.ts')).registerReview,
  },
  web: {
    term: 'web [options]',
    description: "serve the review workstation alone, on the service's store (dexa watch serves it too)",
    load: async () => (await import('./web-command.ts')).registerWeb,
  },
  receive: {
    term: 'receive [options]',
    description: "run the DICOM receiver alone, into the service's inbox and store (dexa watch runs it too when dicom.enabled)",
    load: async () => (await import('./receive-command.ts')).registerReceive,
  },
  user: {
    term: 'user',
    description: 'the people who may use the review workstation',
    load: async () => (await import('./user-command.ts')).registerUser,
  },
  export: {
    term: 'export [options] [studies...]',
    description: "the latest version of studies for the hospital's record: a FHIR R4 transaction bundle, an HL7 v2.5 ORU^R01, or the canonical JSON",
    load: async () => (await import('./export-command.ts')).registerExport,
  },
  deliveries: {
    term: 'deliveries',
    description: 'the outbox: released versions on their way to each destination',
    load: async () => (await import('./deliveries-command.ts')).registerDeliveries,
  },
};

/** The command named in `argv` (`dexa <command> …` or `dexa help <command>`), if it is one. */
export function commandAsked(argv: readonly string[]): string | undefined {
  const asked = argv[2] === 'help' ? argv[3] : argv[2];
  return asked !== undefined && Object.hasOwn(COMMANDS, asked) ? asked : undefined;
}

/** Lists every command for the top-level help (or an unknown command's error) without loading one. */
export function listCommands(program: Command): void {
  for (const [name, entry] of Object.entries(COMMANDS)) program.command(name).description(entry.description);
  const listed = program.createHelp();
  program.configureHelp({ subcommandTerm: (command) => COMMANDS[command.name()]?.term ?? listed.subcommandTerm(command) });
}
