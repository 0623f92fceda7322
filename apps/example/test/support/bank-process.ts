import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** A bank app running as a child process, as `npm start` runs it. */
export type BankProcess = {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process printed. */
  output(): string;
  /** SIGKILL: no drain, no close. */
  kill(): Promise<void>;
  /** SIGTERM and wait for a clean exit; resolves with the exit code. */
  stop(): Promise<number | null>;
};

/** Starts `dist/main.js` with `env` on a free port and resolves once it listens. */
export function startBankProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<BankProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the bank did not start in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match === null || url !== undefined) return;
      url = match[1]!;
      clearTimeout(timer);
      resolve({
        url,
        child,
        output: () => output,
        async kill() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    let url: string | undefined;
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      if (url !== undefined) return;
      clearTimeout(timer);
      reject(new Error(`the bank exited with ${code} before listening:\n${output}`));
    });
  });
}
