import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('tty');

describe('interactive mode, through a real pseudo-terminal (util-linux script)', () => {
  it('asks how many streams to open, then runs with the answer and draws a live panel', async () => {
    const report = join(dir, 'report.json');
    const command = `${process.execPath} ${BIN} --simulate 3 --duration 2s --output ${report} --log ${join(dir, 'run.log')}`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, CI: '', TERM: 'xterm' }, stdio: 'pipe' });
    let screen = '';
    let answered = false;
    const exited = new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
      if (!answered && screen.includes('How many concurrent streams should be opened? [3]')) {
        answered = true;
        child.stdin.write('2\r');
      }
    });
    expect(await exited).toBe(0);
    expect(screen).toContain('3 active cameras found.');
    expect(screen).toMatch(/Streaming 2 streams from 2 of 3 active cameras/);
    expect(screen).toMatch(/streams open +\d \/ 2/);
    expect(screen).toMatch(/Streams opened: +2 of 2 streams/);
    const saved = JSON.parse(readFileSync(report, 'utf8')) as { summary: { streamsRequested: number } };
    expect(saved.summary.streamsRequested).toBe(2);
  });
});
