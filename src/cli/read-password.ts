import { createInterface } from 'node:readline';

/**
 * A password: asked at a prompt without echo when standard input is a terminal (twice, to catch a
 * slip), else the first line of standard input (a script, a pipe).
 */
export async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) return firstLine();
  const first = await askHidden(prompt);
  const again = await askHidden('the same password again: ');
  if (first !== again) throw new PasswordMismatch();
  return first;
}

export class PasswordMismatch extends Error {
  override readonly name = 'PasswordMismatch';
  constructor() {
    super('the two passwords differ; nothing was changed');
  }
}

async function firstLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (Buffer.concat(chunks).includes(0x0a)) break;
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const output = process.stderr;
    const rl = createInterface({ input: process.stdin, output, terminal: true });
    // the typed characters are not echoed: only the prompt is written
    (rl as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = (text: string) => {
      if (text.includes(prompt)) output.write(prompt);
    };
    rl.question(prompt, (answer) => {
      rl.close();
      output.write('\n');
      resolve(answer);
    });
  });
}
