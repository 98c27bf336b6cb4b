import { describe, expect, it } from 'vitest';
import { fraxPlainText, ScannerFraxSchema } from '../../src/model/frax.ts';
import { ExtractedStudySchema, InstanceExtractionSchema } from '../../src/model/study.ts';
import { mergeStudy } from '../../src/ingest/merge-study.ts';
import { fixtureStudy, instanceBytes, readOk } from '../helpers/exports.ts';

describe('the scanner\'s FRAX in the model', () => {
  const parts = fixtureStudy('01').instances.map((_, index) => readOk(instanceBytes(fixtureStudy('01'), index), `SR${index}.dcm`));
  const reported = { reported: true, majorOsteoporotic: { withoutPriorFracture: 13, withPriorFracture: 21 }, hip: { withoutPriorFracture: 2.9, withPriorFracture: null }, riskFactors: 'BMI 22' } as const;

  it('parses reported and not reported, and refuses a percentage out of range', () => {
    expect(ScannerFraxSchema.parse(reported)).toEqual(reported);
    expect(ScannerFraxSchema.parse({ reported: false, reason: 'age' })).toEqual({ reported: false, reason: 'age' });
    expect(ScannerFraxSchema.safeParse({ ...reported, hip: { withoutPriorFracture: 120, withPriorFracture: null } }).success).toBe(false);
  });

  it('an older stored instance and study without the field still parse, and stay without it', () => {
    const study = mergeStudy(parts);
    expect('frax' in study).toBe(false);
    const stored = JSON.parse(JSON.stringify(study)) as Record<string, unknown>;
    expect(ExtractedStudySchema.parse(stored).frax).toBeUndefined();
    const instance = JSON.parse(JSON.stringify(parts[0])) as Record<string, unknown>;
    delete instance.frax;
    expect(InstanceExtractionSchema.parse(instance).frax).toBeUndefined();
    expect(ExtractedStudySchema.parse({ ...stored, frax: reported }).frax).toEqual(reported);
  });

  it('free text: <br> becomes "; ", other tags go', () => {
    expect(fraxPlainText('<p>BMI 22.1<br>Smoker<BR /> <i>RA</i></p>')).toBe('BMI 22.1; Smoker; RA');
    expect(fraxPlainText('a &amp; b<br><br>')).toBe('a & b');
  });
});
