import { readdirSync } from 'node:fs';
import { expect } from 'vitest';
import type { FixtureServer } from './fixture-server.js';
import { runCli } from './run-cli.js';

/**
 * `run` with `args` against `api`, in the empty folder `cwd`: exit 2, one line matching `message`, nothing on stdout,
 * no camera asked for and no file written. --duration 60s: exit 2 within the test's time is itself proof that
 * nothing ran.
 */
export async function expectRefusedBeforeRun(api: FixtureServer, cwd: string, args: readonly string[], message: RegExp): Promise<void> {
  const before = api.requests.length;
  const result = await runCli(['run', '--api-url', `${api.url}/api`, '--duration', '60s', '--max-streams', '1', ...args], { cwd, timeoutMs: 20_000 });
  expect(result.code).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(result.stdout).toBe('');
  expect(api.requests.length).toBe(before);
  expect(readdirSync(cwd)).toEqual([]);
}
