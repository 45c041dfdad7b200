// Every command's name, one-line description and argument, apart from its module: the CLI lists them all in
// its help while loading only the module argv names (a command's module loads its engine).

export interface CommandInfo {
  name: string;
  description: string;
  argument?: string;
}

export const COMMANDS = {
  run: { name: 'run', description: 'load-test the camera streams (the default command)' },
  max: { name: 'max', description: 'find the maximum stable number of concurrent streams' },
  simulate: { name: 'simulate', description: 'run the simulated camera fleet (camera API + MJPEG streams) on 127.0.0.1' },
  merge: { name: 'merge', description: 'one exact report from the reports of a sharded run (--shard / --shards)', argument: '<report.json...>' },
  cameras: { name: 'cameras', description: 'list the active cameras once (a dry run), and with --output write them as a file for --cameras-file' },
  report: { name: 'report', description: 'show a saved report (run, max or merged) again, and with --html draw it as one HTML page', argument: '<report.json>' },
} as const satisfies Record<string, CommandInfo>;
