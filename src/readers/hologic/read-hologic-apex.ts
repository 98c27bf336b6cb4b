import { ProblemCode } from '../../model/problems.ts';
import type { Measurement, SideDifference, Source } from '../../model/study.ts';
import type { DicomObject, Reader, ReaderFindings } from '../reader.ts';
import { findSection, scalar, tokenizeBlob } from './blob-tokens.ts';
import { checkBlobAgainstHeader, scannerOf } from './header-checks.ts';
import { hasIvaResultsFlag, hologicBlobText, isHologicApexObject } from './hologic-dicom.ts';
import { HologicObjectError, HologicObjectFault } from './hologic-object-error.ts';
import { canonicalRows, type RegionValues } from './hologic-regions.ts';
import type { HologicScan } from './hologic-sections.ts';
import { patientContext } from './patient-context.ts';
import { readHologicBlob } from './read-hologic-blob.ts';

/**
 * Hologic APEX report images (research §2.1): a Secondary Capture per scan whose numbers are in
 * the private (0019,1000) blob. IVA (VFA) objects carry no results and are kept with a warning.
 */
export const hologicApexReader: Reader<'hologic-apex'> = {
  id: 'hologic-apex',
  reads: 'Hologic APEX report image with the (0019,1000) results blob',
  recognises: isHologicApexObject,
  read: readHologicApex,
};

function readHologicApex(object: DicomObject): ReaderFindings {
  const header = object.header();
  const text = hologicBlobText(object);
  if (text === null) {
    if (hasIvaResultsFlag(object)) return ivaFindings('the IVA results page flag (0013,1000)');
    throw new HologicObjectError(HologicObjectFault.MISSING_BLOB, 'a HOLOGIC report image without the results blob (0019,1000)');
  }
  const tokens = tokenizeBlob(text);
  if (findSection(tokens, 'Results') === null) {
    const scanInfo = findSection(tokens, 'ScanInfo');
    const analysis = scanInfo ? scalar(scanInfo, 'AnalProtocol')?.value.trim() : undefined;
    return ivaFindings(`a blob without Results${analysis ? ` (analysis ${JSON.stringify(analysis)})` : ''}`);
  }
  const blob = readHologicBlob(text);
  checkBlobAgainstHeader(header, blob.patient, blob.scan);
  const scanner = scannerOf(header.study, blob.scan);
  const rows = canonicalRows(blob.tables.summary ?? [], blob.scan.mode.name, blob.spineTotalRange);
  const source = (row: RegionValues): Source => ({ sopInstanceUid: header.sopInstanceUid, scan: scanName(blob.scan), roi: row.label ?? row.region });
  const measurements = rows.measurements.map(
    (row): Measurement => ({
      region: row.region,
      side: row.side,
      bmd: row.values.bmd,
      bmc: row.values.bmcGrams,
      areaCm2: row.values.areaCm2,
      tScore: row.values.tScore,
      zScore: row.values.zScore,
      youngAdultPercent: row.values.peakReferencePercent,
      ageMatchedPercent: row.values.ageMatchedPercent,
      source: source(row),
    }),
  );
  const sideDifferences = rows.differences.map(
    (row): SideDifference => ({ region: row.region, bmd: row.values.bmd, tScore: row.values.tScore, zScore: row.values.zScore, source: source(row) }),
  );
  return {
    measurements,
    sideDifferences,
    vfa: [],
    ...(blob.tables.frax === null ? {} : { frax: blob.tables.frax }),
    // APEX writes each value once: nothing in the export to check a misread against, so a person looks
    warnings: [{ code: ProblemCode.NO_SECOND_COPY, message: 'Hologic APEX gives each value once, in its report text: not cross-checked against a second copy' }],
    study: { ...scanner, referenceDatabase: blob.referenceDatabase, vendorCategory: blob.scannerWhoClass },
    scannerContext: patientContext(blob.patient, blob.scan),
  };
}

/** `A12022601 (x Lumbar Spine)`; a dual hip names both scans. */
function scanName(scan: HologicScan): string {
  const first = `${scan.scanId} (${scan.mode.prefix} ${scan.mode.name})`;
  return scan.second ? `${first} + ${scan.second.scanId} (${scan.second.mode.prefix} ${scan.second.mode.name})` : first;
}

/** An IVA (VFA) image: archived with no results; APEX exports no vertebral heights (research §2.2). */
function ivaFindings(identifiedBy: string): ReaderFindings {
  return {
    measurements: [],
    sideDifferences: [],
    vfa: [],
    warnings: [{ code: ProblemCode.UNKNOWN_SCAN, message: `Hologic IVA (VFA) image, identified by ${identifiedBy}: kept without results, APEX exports no vertebral heights` }],
  };
}
