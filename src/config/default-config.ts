import type { DepartmentConfig } from './config-schema.ts';
import { DEFAULT_CLINICAL_SETTINGS } from '../clinical/settings.ts';
import { DEFAULT_READ_LIMITS } from '../dicom/read-limits.ts';

/**
 * What the service runs on when no configuration file is given. A department replaces at least
 * the department block and the signature; docs/config.example.yaml shows every key.
 */
export const DEFAULT_CONFIG: DepartmentConfig = {
  language: 'nl',
  department: {
    name: { nl: 'Afdeling Radiologie – Botdichtheidsmeting', en: 'Department of Radiology – Bone Densitometry' },
    hospital: 'Voorbeeldziekenhuis',
    address: ['Ziekenhuislaan 1', '1234 AB Voorbeeldstad'],
    phone: '010 123 45 67',
    phoneHours: { nl: 'op werkdagen van 8.30 tot 16.30 uur', en: 'on weekdays from 8.30 a.m. to 4.30 p.m.' },
    email: 'botdichtheid@voorbeeldziekenhuis.nl',
    logo: null,
  },
  signature: { name: 'dr. A. de Voorbeeld', title: { nl: 'radioloog', en: 'radiologist' } },
  followUpYears: {
    normal: null,
    osteopenia: 3,
    osteoporosis: 3,
    severe_osteoporosis: 2,
    below_expected_for_age: 2,
    within_expected_for_age: null,
  },
  letters: { fileNamePattern: '{studyDate}_{accession}_{letter}', patientAppendix: true, otherRegions: 'list', pictures: { scale: { patient: true, gp: true }, trend: { gp: true } } },
  clinical: DEFAULT_CLINICAL_SETTINGS,
  referringPhysicians: [],
  watch: { settleSeconds: 2, quietSeconds: 10, incompleteWaitSeconds: 600 },
  files: { fileMode: '0600', folderMode: '0700' },
  limits: DEFAULT_READ_LIMITS,
  templatesDir: null,
  deliveries: { destinations: [], maxAttempts: 10, firstRetrySeconds: 30, maxRetrySeconds: 3600 },
  dicom: { enabled: false, aeTitle: 'DEXA', host: '127.0.0.1', port: 11112, allowedCallers: [], maxAssociations: 4, associationTimeoutSeconds: 30, idleTimeoutSeconds: 120, maxObjectMegabytes: 512, tls: null },
  store: { url: null, instance: '', localIssuer: '' },
  web: { enabled: true, host: '127.0.0.1', port: 8484, basePath: '/', language: null, sessionMinutes: 480, proxy: { userHeader: null, trustedAddresses: [] } },
  hospital: {
    sendingApplication: 'DEXA-REPORT',
    sendingFacility: '',
    receivingApplication: '',
    receivingFacility: '',
    embedPdfs: ['gp', 'patient'],
    identifierSystem: 'urn:dexa-report:department',
    patientIdSystem: null,
  },
};
