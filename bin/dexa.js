#!/usr/bin/env node
// The project runs its TypeScript sources directly (Node 24 type stripping). Node's compile cache
// (checked against each file's contents) keeps the stripped and compiled modules between runs,
// which makes every command start in about half the time.
import nodeModule from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

// The sources are TypeScript and use node:sqlite: an older Node.js would fail on its first import
// with an error that names neither.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`dexa needs Node.js 24 or newer; this is Node.js ${process.versions.node}. Run it as \`npx dexa\` in the project folder, which uses the Node.js 24 the project installs.\n`);
  process.exit(1);
}

// In the user's own cache folder: Node's default, $TMPDIR/node-compile-cache, belongs to whichever
// user ran Node there first, and every other user's runs silently go without it.
const cacheHome = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
const cache = nodeModule.enableCompileCache?.(join(cacheHome, 'dexa', 'node-compile-cache'));
if (cache?.status === nodeModule.constants.compileCacheStatus.FAILED) nodeModule.enableCompileCache();
await import('../src/cli/main.ts');
