import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { relative } from 'node:path';

/** After the run: names every test file whose process died mid-file, with Node's fatal-error report if one was written. */
export function setup(): () => void {
  const folder = process.env['DEXA_TEST_WITNESS'];
  if (!folder) return () => undefined;
  mkdirSync(folder, { recursive: true });
  return () => {
    // each vitest project runs this teardown; the first one reports and clears the folder
    if (!existsSync(folder)) return;
    const names = readdirSync(folder);
    const read = (name: string) => JSON.parse(readFileSync(`${folder}/${name}`, 'utf8')) as { file: string; startedAt?: string; maxRssKB?: number; header?: { event?: string }; javascriptStack?: { message?: string; stack?: string[] } };
    for (const name of names.filter((n) => n.startsWith('running-'))) {
      const { file, startedAt } = read(name);
      console.error(`a test process died while running ${relative(process.cwd(), file)} (started ${startedAt})`);
    }
    for (const name of names.filter((n) => n.startsWith('report.'))) {
      const report = read(name);
      console.error(`node fatal-error report ${name}: ${report.header?.event ?? ''}\n${report.javascriptStack?.message ?? ''}\n${(report.javascriptStack?.stack ?? []).slice(0, 15).join('\n')}`);
    }
    const shown = process.env['DEXA_TEST_MEMORY'] ? 15 : 3;
    const largest = names.filter((n) => n.startsWith('done-')).map(read).sort((a, b) => (b.maxRssKB ?? 0) - (a.maxRssKB ?? 0)).slice(0, shown);
    if (process.env['DEXA_TEST_MEMORY'] || names.some((n) => n.startsWith('running-') || n.startsWith('report.'))) {
      console.error(`largest test processes: ${largest.map((d) => `${relative(process.cwd(), d.file)} ${Math.round((d.maxRssKB ?? 0) / 1024)} MB`).join(', ')}`);
    }
    rmSync(folder, { recursive: true, force: true });
  };
}
