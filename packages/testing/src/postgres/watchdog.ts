import { spawn } from 'node:child_process';

// Runs in its own process (CommonJS, `node -e`): argv = [parent pid, temp root, data dir].
// When the parent dies without cleaning up (kill -9, a crashed worker) it kills the server's
// process group and removes the temp root. It exits once the temp root is gone.
const SOURCE = `
const fs = require('node:fs');
const path = require('node:path');
const [parent, root, dataDir] = [Number(process.argv[1]), process.argv[2], process.argv[3]];
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const tick = () => {
  if (!fs.existsSync(root)) process.exit(0);
  if (alive(parent)) return;
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\\n')[0]);
    if (pid > 0) process.kill(-pid, 'SIGKILL');
  } catch {}
  setTimeout(() => { try { fs.rmSync(root, { recursive: true, force: true, maxRetries: 5 }); } catch {} process.exit(0); }, 200);
};
setInterval(tick, 500);
`;

/**
 * Starts a detached watchdog process that removes the server if this process dies without
 * running its exit handlers. Returns its pid (to stop it early), or `undefined` if it could not start.
 */
export function startWatchdog(root: string, dataDir: string): number | undefined {
  try {
    const child = spawn(process.execPath, ['-e', SOURCE, String(process.pid), root, dataDir], {
      detached: true,
      stdio: 'ignore',
    });
    child.on('error', () => undefined);
    child.unref();
    return child.pid;
  } catch {
    return undefined;
  }
}
