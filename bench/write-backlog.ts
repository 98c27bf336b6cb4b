/**
 * Writes a backlog's studies into an inbox and prints how many DICOM files: run by backlog.ts in a
 * process of its own, so that writing the exports (dcmjs) leaves nothing in the measured process's memory.
 * Run: node bench/write-backlog.ts --inbox DIR --studies N --names unique|colliding
 */
import { parseArgs } from 'node:util';
import { benchStudy, writeBenchStudy, type LetterNames } from './backlog-studies.ts';

const { values } = parseArgs({ options: { inbox: { type: 'string' }, studies: { type: 'string' }, names: { type: 'string', default: 'unique' } } });
if (values.inbox === undefined || values.studies === undefined) throw new Error('usage: write-backlog.ts --inbox DIR --studies N [--names unique|colliding]');
const names = (values.names === 'colliding' ? 'colliding' : 'unique') satisfies LetterNames;
let files = 0;
for (let i = 0; i < Number(values.studies); i++) files += await writeBenchStudy(values.inbox, benchStudy(i, names));
console.log(files);
