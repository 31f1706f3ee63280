import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export const runbookDir = join(repoRoot, 'docs/runbooks');

/** One fenced shell block of a runbook; `local` blocks run on any swarm (tests execute them), `cloud` ones need DigitalOcean. */
export interface RunbookBlock {
  file: string;
  line: number;
  kind: 'local' | 'cloud';
  code: string;
}

/** The shell blocks of one runbook, in the order an admin would run them. */
export function runbookBlocks(file: string): RunbookBlock[] {
  const lines = readFileSync(join(runbookDir, file), 'utf8').split('\n');
  const blocks: RunbookBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s*```sh( cloud)?\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = lines[i]!.length - lines[i]!.trimStart().length;
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && lines[i]!.trim() !== '```') body.push(lines[i]!.slice(indent));
    blocks.push({ file, line: start + 1, kind: open[1] ? 'cloud' : 'local', code: body.join('\n') });
  }
  return blocks;
}

/** Every runbook file (markdown). */
export const runbookFiles = () => readdirSync(runbookDir).filter((f) => f.endsWith('.md'));
