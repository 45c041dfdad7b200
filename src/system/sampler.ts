import { cpus } from 'node:os';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { readMemoryTotals, type MemoryTotals } from './memory-totals.js';
import { readNetworkTotals, type NetworkTotals } from './network-totals.js';
import type { SystemSample } from '../metrics/client-health.js';
import type * as SystemInformation from 'systeminformation';

/** All cores' busy and total time so far (ms), from the kernel's counters. */
function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const { user, nice, sys, idle, irq } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + idle + irq;
  }
  return { busy, total };
}

let systemInformation: Promise<typeof SystemInformation> | undefined;
/** systeminformation, loaded the first time it is needed: only where there is no /proc (not Linux). */
const si = (): Promise<typeof SystemInformation> => (systemInformation ??= import('systeminformation'));

/**
 * Reads memory and network every `intervalMs` (/proc, else systeminformation), the machine's CPU from os.cpus() (the
 * load call of systeminformation runs a synchronous child process, which would stall the streams being
 * measured), and this process's CPU and event-loop delay. Samples are kept (one per 2 s is 1,800 an hour:
 * small) and each is also handed to `onSample`.
 */
export class SystemSampler {
  readonly samples: SystemSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private lastCpu = process.cpuUsage();
  private lastMachine = cpuTimes();
  private lastNetwork: NetworkTotals | undefined;
  private useProcNetwork = true;
  private useProcMemory = true;
  private lastAt = performance.now();
  private busy = false;

  constructor(
    private readonly now: () => number,
    private readonly intervalMs = 2_000,
    private readonly onSample?: (sample: SystemSample) => void,
  ) {}

  start(): void {
    this.loop.enable();
    // The first network reading only sets the baseline for rates.
    void this.networkRates(0);
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.loop.disable();
    await Promise.resolve();
  }

  /** Bytes per second since the last call, all interfaces: /proc/net/dev where there is one, else systeminformation. */
  private async networkRates(elapsedMs: number): Promise<{ rx: number; tx: number }> {
    if (this.useProcNetwork) {
      const totals = await readNetworkTotals();
      if (totals) {
        const last = this.lastNetwork;
        this.lastNetwork = totals;
        if (!last || elapsedMs <= 0) return { rx: 0, tx: 0 };
        return {
          rx: Math.max(0, ((totals.rxBytes - last.rxBytes) / elapsedMs) * 1000),
          tx: Math.max(0, ((totals.txBytes - last.txBytes) / elapsedMs) * 1000),
        };
      }
      this.useProcNetwork = false;
    }
    const stats = await si()
      .then((system) => system.networkStats('*'))
      .catch(() => []);
    return {
      rx: stats.reduce((sum, n) => sum + Math.max(0, n.rx_sec), 0),
      tx: stats.reduce((sum, n) => sum + Math.max(0, n.tx_sec), 0),
    };
  }

  /** The machine's memory: /proc/meminfo where there is one, else systeminformation. */
  private async memory(): Promise<MemoryTotals | undefined> {
    if (this.useProcMemory) {
      const totals = await readMemoryTotals();
      if (totals) return totals;
      this.useProcMemory = false;
    }
    const mem = await si()
      .then((system) => system.mem())
      .catch(() => undefined);
    return mem && { totalBytes: mem.total, availableBytes: mem.available };
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const at = performance.now();
      const cpu = process.cpuUsage(this.lastCpu);
      const elapsedMs = at - this.lastAt;
      this.lastCpu = process.cpuUsage();
      this.lastAt = at;
      const loopP99 = this.loop.percentile(99) / 1e6;
      const loopMax = this.loop.max / 1e6;
      this.loop.reset();
      const machine = cpuTimes();
      const machineTotal = machine.total - this.lastMachine.total;
      const machineCpu = machineTotal > 0 ? ((machine.busy - this.lastMachine.busy) / machineTotal) * 100 : 0;
      this.lastMachine = machine;
      const [mem, net] = await Promise.all([this.memory(), this.networkRates(elapsedMs)]);
      const sample: SystemSample = {
        t: Math.round(this.now()) / 1000,
        cpuPercent: round(machineCpu),
        processCpuPercent: round(((cpu.user + cpu.system) / 1000 / elapsedMs) * 100),
        memoryUsedBytes: mem ? mem.totalBytes - mem.availableBytes : 0,
        memoryTotalBytes: mem?.totalBytes ?? 0,
        processRssBytes: process.memoryUsage.rss(),
        networkRxBytesPerSecond: Math.round(net.rx),
        networkTxBytesPerSecond: Math.round(net.tx),
        eventLoopDelayP99Ms: round(Number.isFinite(loopP99) ? loopP99 : 0),
        eventLoopDelayMaxMs: round(Number.isFinite(loopMax) ? loopMax : 0),
      };
      this.samples.push(sample);
      this.onSample?.(sample);
    } finally {
      this.busy = false;
    }
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
