import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { runQa } from '../qa/run-qa.ts';
import { ExitCode } from './exit-codes.ts';
import { printLines, printProblem } from './output.ts';
import { loadRuntime } from './runtime.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export function registerQa(program: Command): void {
  program
    .command('qa')
    .description('run the fixture scans through extraction, classification and both letters, and compare with the goldens')
    .argument('[dir]', 'folder of fixture studies', FIXTURES)
    .option('--config <file>', 'department configuration (YAML); default $DEXA_CONFIG or the embedded defaults')
    .option('--lang <language>', 'nl or en (default: the configured language)')
    .option('--update', 'rewrite the goldens after a deliberate change (check the letters first)')
    .action(async (dir: string, options: { config?: string; lang?: string; update?: boolean }) => {
      const runtime = await loadRuntime(options);
      if (!runtime) return;
      const results = await runQa(dir, runtime.config, runtime.templates, options.update === true);
      const width = Math.max(5, ...results.map((r) => r.study.length)) + 2;
      const lines = [`${'study'.padEnd(width)}${'expected'.padEnd(26)}${'got'.padEnd(26)}result`];
      for (const result of results) {
        lines.push(`${result.study.padEnd(width)}${result.expected.padEnd(26)}${result.got.padEnd(26)}${result.pass ? 'PASS' : 'FAIL'}`);
        for (const difference of result.differences) lines.push(`${' '.repeat(width)}- ${difference}`);
      }
      const failed = results.filter((r) => !r.pass).length;
      lines.push('', `${options.update ? 'goldens written; ' : ''}${results.length - failed} passed, ${failed} failed`);
      printLines(lines);
      if (results.length === 0) {
        printProblem(`no fixture studies (folders with expected.json) under ${dir}`);
        process.exitCode = ExitCode.QaDrift;
      } else if (failed > 0) process.exitCode = ExitCode.QaDrift;
    });
}
