#!/usr/bin/env node
// The project runs its TypeScript sources directly (Node 24 type stripping). Node's compile cache
// (checked against each file's contents) keeps the stripped and compiled modules between runs,
// which makes every command start in about half the time.
import nodeModule from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

// In the user's own cache folder: Node's default, $TMPDIR/node-compile-cache, belongs to whichever
// user ran Node there first, and every other user's runs silently go without it.
const cacheHome = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
const cache = nodeModule.enableCompileCache?.(join(cacheHome, 'dexa', 'node-compile-cache'));
if (cache?.status === nodeModule.constants.compileCacheStatus.FAILED) nodeModule.enableCompileCache();
await import('../src/cli/main.ts');
