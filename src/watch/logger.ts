import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs on stdout. At info level they name files, UIDs and outcomes, never a
 * patient's name; redaction guards the fields where a name could end up by mistake.
 */
export function createLogger(level: string = process.env['DEXA_LOG_LEVEL'] ?? 'info'): Logger {
  return pino({
    level,
    base: { service: 'dexa-report' },
    redact: { paths: ['patient.name', '*.patient.name', 'name', 'patientName'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export type { Logger };
