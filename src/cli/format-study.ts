import type { AssessedStudy } from '../model/assessed-study.ts';
import type { Measurement } from '../model/study.ts';

/** A readable summary of one study for a terminal, line by line (printed through printLines, which escapes them). */
export function formatStudy(study: AssessedStudy): string[] {
  const { patient, study: header, classification: c } = study;
  const lines = [
    `Study ${header.studyInstanceUid}`,
    `  date ${header.studyDate ?? 'unknown'} · ${[header.manufacturer, header.model].filter(Boolean).join(' ') || 'unknown scanner'} · ${study.instances.length} instance(s)`,
    `  patient ${patient.id ?? 'no ID'} · born ${patient.birthDate ?? 'unknown'} · sex ${patient.sex ?? 'unknown'}`,
    '',
    `  ${'region'.padEnd(14)}${'side'.padEnd(7)}${'BMD'.padStart(7)}${'T'.padStart(7)}${'Z'.padStart(7)}`,
    ...study.measurements.map(formatRow),
    '',
    `  result: ${c.category?.replaceAll('_', ' ') ?? 'no diagnosis possible'} (${c.path} path${c.indexRegion ? `, index ${c.indexRegion}${c.indexSide ? ` ${c.indexSide}` : ''} ${c.indexScore?.toFixed(1)}` : ''})`,
    `  letters: ${c.releasable ? 'may be released' : 'held for review'}`,
    ...study.classification.vertebralFractures.map((v) => `  vertebral fracture ${v.level}: Genant grade ${v.grade}`),
    ...c.flags.map((f) => `  flag ${f.code} (${f.severity}): ${f.message}`),
  ];
  for (const error of study.errors) lines.push(`  error: ${error.message}`);
  for (const warning of study.warnings) lines.push(`  note: ${warning.message}`);
  return lines;
}

function formatRow(m: Measurement): string {
  const number = (value: number | null, decimals: number) => (value === null ? '–' : value.toFixed(decimals));
  return `  ${m.region.padEnd(14)}${(m.side ?? '').padEnd(7)}${number(m.bmd, 3).padStart(7)}${number(m.tScore, 1).padStart(7)}${number(m.zScore, 1).padStart(7)}`;
}
