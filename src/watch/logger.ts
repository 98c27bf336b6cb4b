import pino, { type DestinationStream, type Logger } from 'pino';
import { escapeJsonControls } from '../model/control-characters.ts';

/**
 * Structured JSON logs on stdout (or `destination`). At info level they name files, UIDs and
 * outcomes, never a patient's name; redaction guards the fields where a name could end up by
 * mistake. File names come from outside: the C1 and bidi controls JSON leaves raw are escaped, so
 * `tail -f` of the log never steers the terminal.
 */
export function createLogger(level: string = process.env['DEXA_LOG_LEVEL'] ?? 'info', destination: Pick<DestinationStream, 'write'> = process.stdout): Logger {
  return pino(
    {
      level,
      base: { service: 'dexa-report' },
      redact: { paths: ['patient.name', '*.patient.name', 'name', 'patientName'], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    // pino ends each line with its one raw newline; JSON itself leaves none inside
    { write: (line: string) => destination.write(`${escapeJsonControls(line.trimEnd())}\n`) },
  );
}

export type { Logger };
