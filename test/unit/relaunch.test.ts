import { describe, expect, it } from 'vitest';
import { GC_FLAGS } from '../../src/launcher/gc-tuning.js';
import { commandsToLoad, isSignalMessage, LAUNCHER_ENV, relaunchArguments, startedByLauncher } from '../../src/launcher/relaunch.js';

const BIN = '/usr/lib/node_modules/camera-load/bin/camera-load.js';
const facts = (args: string[], execArgv: string[] = [], env: Record<string, string> = {}) => ({
  argv: ['/usr/bin/node', BIN, ...args],
  execArgv,
  env,
});

describe('relaunchArguments: whether to start Node again with the garbage-collector flags', () => {
  it.each([
    ['the default command', ['--max-streams', '5']],
    ['nothing at all (run, asking on a terminal)', []],
    ['run', ['run', '--duration', '5s']],
    ['max', ['max', '--simulate', '10']],
    ['--debug before the command', ['--debug', 'max']],
    ['an option value that looks like a command, after it', ['run', '--output', 'simulate']],
    ['a usage error, which the relaunched process reports', ['--duration', 'abc']],
  ])('relaunches for %s', (_, args) => {
    expect(relaunchArguments(facts(args))).toEqual([...GC_FLAGS, BIN, ...args]);
  });

  it.each([
    ['simulate', ['simulate', '--cameras', '5']],
    ['merge', ['merge', 'a.json', 'b.json']],
    ['cameras', ['cameras', '--simulate']],
    ['report', ['--debug', 'report', 'a.json']],
    ['an unknown command, refused at once', ['rn', '--simulate']],
    ['help', ['help', 'run']],
    ['--help', ['run', '--help']],
    ['-h', ['-h']],
    ['--version', ['--version']],
    ['-V', ['max', '-V']],
  ])('runs %s in this process', (_, args) => {
    expect(relaunchArguments(facts(args))).toBeUndefined();
  });

  it('does not relaunch a process that has the flags (the relaunched one)', () => {
    expect(relaunchArguments(facts(['run'], [...GC_FLAGS]))).toBeUndefined();
    expect(relaunchArguments(facts(['run'], ['--max-semi-space-size=2', ...GC_FLAGS].reverse()))).toBeUndefined();
  });

  it('adds only the missing flags, after the ones Node was given', () => {
    expect(relaunchArguments(facts(['run'], ['--expose-gc', '--max-semi-space-size=2']))).toEqual([
      '--expose-gc',
      '--max-semi-space-size=2',
      ...GC_FLAGS.filter((flag) => flag !== '--expose-gc'),
      BIN,
      'run',
    ]);
  });

  it('CAMERA_LOAD_NO_RELAUNCH=1 or a debugger attached here keeps the work in this process', () => {
    expect(relaunchArguments(facts(['run'], [], { CAMERA_LOAD_NO_RELAUNCH: '1' }))).toBeUndefined();
    expect(relaunchArguments(facts(['run'], ['--inspect-brk=9230']))).toBeUndefined();
    expect(relaunchArguments(facts(['run'], [], { CAMERA_LOAD_NO_RELAUNCH: '0' }))).toBeDefined();
  });
});

describe('the relaunched process', () => {
  it('knows its launcher by its parent pid, so a process it forks (the simulated fleet) does not', () => {
    expect(startedByLauncher({ [LAUNCHER_ENV]: '4242' }, 4242)).toBe(true);
    expect(startedByLauncher({ [LAUNCHER_ENV]: '4242' }, 5000)).toBe(false);
    expect(startedByLauncher({}, 4242)).toBe(false);
  });

  it('takes only SIGINT and SIGTERM messages as signals', () => {
    expect(isSignalMessage({ signal: 'SIGINT' })).toBe(true);
    expect(isSignalMessage({ signal: 'SIGTERM' })).toBe(true);
    expect(isSignalMessage({ signal: 'SIGKILL' })).toBe(false);
    expect(isSignalMessage({ type: 'ready' })).toBe(false);
    expect(isSignalMessage(null)).toBe(false);
    expect(isSignalMessage('SIGINT')).toBe(false);
  });
});

describe('commandsToLoad: which commands argv needs, as commander reads it', () => {
  const names = ['run', 'max', 'simulate', 'merge', 'cameras', 'report'];
  it.each([
    [['--version'], []],
    [['max', '-V'], []],
    [['--help'], []],
    [['--debug', '-h'], []],
    [['--max-streams', '5', '--help'], []],
    [[], ['run']],
    [['--max-streams', '5'], ['run']],
    [['--url', 'http://cam/simulate', 'simulate'], ['run']],
    [['run', '--help'], ['run']],
    [['--debug', 'simulate', '--port', '0'], ['simulate']],
    [['merge', 'a.json'], ['merge']],
    [['stray'], ['run']],
    [['help'], names],
    [['help', 'max'], names],
    [['run', '--', '--version'], names],
  ])('%j -> %j', (args, expected) => {
    expect(commandsToLoad(args, names)).toEqual(expected);
  });
});
