import os from 'node:os';
import type { SuiteResult } from './types.js';

/** The machine a run was measured on, as stored in every result. */
export type MachineInfo = SuiteResult['machine'];

/** Describes this machine: logical CPUs, CPU model, memory, Node.js version and platform. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    cpuModel: (cpus[0]?.model ?? 'unknown').replace(/\s+/g, ' ').trim(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** Whether two results come from the same kind of machine, so their absolute figures compare. */
export function sameMachine(a: MachineInfo, b: MachineInfo): boolean {
  return a.cpus === b.cpus && a.cpuModel === b.cpuModel && a.platform === b.platform;
}
