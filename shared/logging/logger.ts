import { Logger, type LogItem } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { formatCompact } from './compact.ts';
import { withSourceMappedStack } from './source-mapped-stack.ts';

/**
 * Powertools' JSON lines, or with LOKIZ_LOG_FORMAT=compact (set by `npm run dev`) one short
 * human line per event. Read per line: the logger exists before the local runtime sets it.
 */
class LokizLogger extends Logger {
  protected override printLog(logLevel: number, log: LogItem): void {
    if (process.env.LOKIZ_LOG_FORMAT !== 'compact') {
      super.printLog(logLevel, log);
      return;
    }
    log.prepareForPrint();
    const attributes = log.getAttributes();
    const out = attributes.level === 'WARN' || attributes.level === 'ERROR' ? process.stderr : process.stdout;
    out.write(`${formatCompact(attributes)}\n`);
  }
}

/**
 * One structured JSON logger per process (module scope, as Powertools recommends).
 * Service name and level come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_LOG_LEVEL,
 * which the CDK stack sets per function and the test harness silences.
 */
export const logger: Logger = new LokizLogger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'lokiz',
  // Errors are logged with their stacks mapped back to the sources (see source-mapped-stack.ts).
  jsonReplacerFn: (_key, value) => (value instanceof Error ? withSourceMappedStack(value) : value),
});

/** A worker invocation's log context: its own Lambda context, no keys left from the last one. */
export function startInvocationLog(context: Context | undefined): void {
  logger.resetKeys();
  if (context) logger.addContext(context);
}
