import type { Command } from 'commander';
import { ingestPaths } from '../ingest/ingest-paths.ts';
import { ExitCode } from './exit-codes.ts';
import { formatStudy } from './format-study.ts';

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('read DXA exports, merge the instances of each study and print what was found')
    .argument('<paths...>', 'export files or folders (read recursively)')
    .option('--json', 'one JSON object per study (and per bad file) on stdout, NDJSON')
    .action(async (paths: string[], options: { json?: boolean }) => {
      const result = await ingestPaths(paths);
      const out: string[] = [];
      for (const study of result.studies) {
        out.push(options.json ? JSON.stringify(study) : formatStudy(study) + '\n');
      }
      for (const failure of result.failures) {
        if (options.json) out.push(JSON.stringify(failure));
        process.stderr.write(`dexa: ${failure.file}: ${failure.error}\n`);
      }
      for (const study of result.studies) {
        for (const error of study.errors) {
          process.stderr.write(`dexa: study ${study.study.studyInstanceUid}: ${error.message}\n`);
        }
      }
      if (out.length > 0) process.stdout.write(out.join('\n') + '\n');
      const bad = result.failures.length > 0 || result.studies.some((study) => study.errors.length > 0);
      if (bad) process.exitCode = ExitCode.BadInput;
    });
}
