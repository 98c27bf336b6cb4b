#!/usr/bin/env node
// The project runs its TypeScript sources directly (Node 24 type stripping).
import '../src/cli/main.ts';
