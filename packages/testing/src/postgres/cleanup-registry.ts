/** Something that can tear itself down synchronously, at process exit. */
export interface SyncDisposable {
  /** Kills the server's processes and removes its files, synchronously, ignoring errors. */
  disposeSync(): void;
}

const live = new Set<SyncDisposable>();
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;

function disposeAll(): void {
  for (const item of [...live]) {
    live.delete(item);
    try {
      item.disposeSync();
    } catch {
      // Best effort: exit handlers must not throw.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  disposeAll();
  uninstall();
  // Adding a listener removed Node's default action; if nobody else handles the signal, restore it.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', disposeAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.removeListener('exit', disposeAll);
  for (const signal of SIGNALS) process.removeListener(signal, onSignal);
}

/**
 * Tracks running servers so that none outlives the process: on `exit`, SIGINT, SIGTERM and SIGHUP
 * every registered server is killed and its files removed. Handlers are installed with the first
 * registration and removed with the last, so an idle process keeps Node's default signal handling.
 */
export const cleanupRegistry = {
  add(item: SyncDisposable): void {
    live.add(item);
    install();
  },
  delete(item: SyncDisposable): void {
    live.delete(item);
    if (live.size === 0) uninstall();
  },
};
