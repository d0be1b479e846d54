import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured JSON logger per process (module scope, as Powertools recommends).
 * Service name and level come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_LOG_LEVEL,
 * which the CDK stack sets per function and the test harness silences.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'lokiz' });
