#!/usr/bin/env node
// The project runs its TypeScript sources directly (Node 24 type stripping). Node's compile cache
// (checked against each file's contents) keeps the stripped and compiled modules between runs,
// which makes every command start in about half the time.
import nodeModule from 'node:module';

nodeModule.enableCompileCache?.();
await import('../src/cli/main.ts');
