import type { EventData } from '../events/event-data.js';
import type { CommandContext } from './command-context.js';

/**
 * What a command produced, as middleware sees it: the appended events (with the metadata they
 * were stored with), the stream's version after the command, and the global position of the last
 * appended event (-1 when nothing was appended).
 */
export type CommandOutcome = {
  readonly events: readonly EventData[];
  readonly nextExpectedVersion: number;
  readonly position: number;
};

/**
 * One step of the command pipeline, around everything after it. Call `next()` to go on (once at
 * most) and return its outcome, possibly after looking at it; throw (ideally a
 * `CommandRejectedError`) to reject the command with nothing appended; or return an outcome of
 * your own without calling `next()` to short-circuit (a cached answer, say).
 *
 * @example
 * const requireUser: CommandMiddleware = (ctx, next) => {
 *   if (typeof ctx.metadata.user !== 'string') throw new CommandRejectedError('no user', { reason: 'unauthenticated' });
 *   return next();
 * };
 */
export type CommandMiddleware = (ctx: CommandContext, next: () => Promise<CommandOutcome>) => CommandOutcome | Promise<CommandOutcome>;
