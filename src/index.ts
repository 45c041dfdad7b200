// The library surface: what tests, benchmarks and other tools import.
export { startSimulator, type RunningSimulator } from './sim/simulator.js';
export type { SimulatorOptions, SimulatorFaults, FaultRule, ErrorResponse, BoundaryStyle } from './sim/options.js';
export type { FleetStats, CameraStats, FleetTotals } from './sim/fleet-stats.js';
export { CameraLoadError, UsageError, CameraSourceError } from './errors.js';
export { ExitCode } from './exit-codes.js';
