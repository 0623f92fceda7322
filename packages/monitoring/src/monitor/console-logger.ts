import type { MonitorLogger } from '../alerts/alert-types.js';

function line(fields: Record<string, unknown>, message: string): string {
  return `[strata-monitor] ${message} ${JSON.stringify(fields)}`;
}

/** The default logger: one line per notification on the console (stderr for warnings and errors). */
export const consoleLogger: MonitorLogger = {
  info: (fields, message) => console.info(line(fields, message)),
  warn: (fields, message) => console.warn(line(fields, message)),
  error: (fields, message) => console.error(line(fields, message)),
};
