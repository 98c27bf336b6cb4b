import { fileURLToPath } from 'node:url';
import { generateFixtures } from '../src/fixtures/generate-fixtures.ts';

const directory = fileURLToPath(new URL('../fixtures/', import.meta.url));
const count = await generateFixtures(directory);
console.log(`wrote ${count} fixture files to ${directory}`);
