// npm run bench [-- <name> ...]: runs the named benchmarks (all by default) and prints their tables.
import { runParserBench } from './parser.js';
import { formatCapacityTable, measureSimulatorCapacity } from './simulator-capacity.js';

const benchmarks: Record<string, () => Promise<string>> = {
  parser: () => Promise.resolve(runParserBench()),
  simulator: async () => formatCapacityTable(await measureSimulatorCapacity([500, 1000, 2000, 4000])),
};

const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = requested.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from: ${Object.keys(benchmarks).join(', ')}`);
  process.exit(2);
}
for (const name of requested.length > 0 ? requested : Object.keys(benchmarks)) {
  const run = benchmarks[name];
  if (!run) continue;
  console.log(`\n## ${name}\n`);
  console.log(await run());
}
