import type { Command } from './command.js';
import { benchCommand } from '../commands/bench.js';
import { inspectCommand } from '../commands/inspect.js';
import { migrateCommand } from '../commands/migrate.js';
import { projectionsCommand } from '../commands/projections.js';
import { topCommand } from '../commands/top.js';

/** Every `strata` command, in the order `strata --help` lists them. */
export const COMMANDS: readonly Command[] = [inspectCommand, migrateCommand, projectionsCommand, benchCommand, topCommand];
