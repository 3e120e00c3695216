// The CLI in this process: stdout/stderr captured, exit code returned.
import { runCli } from '../helpers/cli.js';

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function plumb(args: string[]): Promise<Outcome> {
  return runCli(args);
}
