import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ESLint } from 'eslint';

const ROOT = join(import.meta.dirname, '..', '..');

/** The rule ids ESLint reported for one probe file, in order. */
export type Findings = Map<string, string[]>;

/**
 * Lints small files with the project's own config in a throwaway project inside the repository
 * (so @types/node and the tsconfig resolve as for real code). The config's globs are relative to
 * the cwd when it is named explicitly, so `src/model/x.ts` in the probe counts as model code.
 */
export async function lintProbe(files: Record<string, string>): Promise<{ findings: Findings; messages: string[] }> {
  // The leading dot keeps a probe left by a killed run out of tsc; eslint.config.js ignores it too.
  const probe = await mkdtemp(join(import.meta.dirname, '.lint-probe-'));
  try {
    await writeFile(join(probe, 'tsconfig.json'), JSON.stringify({ extends: join(ROOT, 'tsconfig.json'), include: ['src'] }));
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(probe, path)), { recursive: true });
      await writeFile(join(probe, path), text);
    }
    // ignore: false, since the config's temporary ignores would otherwise skip the probe's src/store.
    const eslint = new ESLint({ cwd: probe, overrideConfigFile: join(ROOT, 'eslint.config.js'), ignore: false });
    const results = await eslint.lintFiles(Object.keys(files));
    const findings: Findings = new Map();
    const messages: string[] = [];
    for (const result of results) {
      findings.set(result.filePath.slice(probe.length + 1), result.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`));
      messages.push(...result.messages.map((m) => m.message));
    }
    return { findings, messages };
  } finally {
    await rm(probe, { recursive: true, force: true });
  }
}
