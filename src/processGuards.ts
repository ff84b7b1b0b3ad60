import type { Logger } from 'pino';

export interface ProcessGuardOptions {
  target?: NodeJS.EventEmitter;
  /** What to do after an uncaught exception is logged; the default exits with 1. */
  exit?: (code: number) => void;
}

/**
 * Last-resort logging for errors nothing else caught, so nothing ever fails
 * silently. An unhandled rejection is logged and the bot keeps running: one
 * stray promise must not stop every member's job. An uncaught exception leaves
 * the process in an unknown state, so it is logged as fatal with its stack and
 * the process exits for its supervisor to restart it; every unfinished job is
 * in the store and resumes on the next start.
 */
export function installProcessGuards(logger: Logger, options: ProcessGuardOptions = {}): () => void {
  const target = options.target ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const onRejection = (reason: unknown) => logger.error({ err: reason }, 'unhandled promise rejection');
  const onException = (error: unknown) => {
    logger.fatal({ err: error }, 'uncaught exception; exiting so a supervisor restarts the bot (jobs resume)');
    exit(1);
  };
  target.on('unhandledRejection', onRejection);
  target.on('uncaughtException', onException);
  return () => {
    target.off('unhandledRejection', onRejection);
    target.off('uncaughtException', onException);
  };
}
