/** npm run bench: every benchmark, one after the other, each in its own process. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

for (const bench of ['parse.ts', 'parse-hologic.ts', 'letters.ts', 'watch.ts', 'receive.ts']) {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL(bench, import.meta.url))], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
