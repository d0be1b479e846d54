// OFFLINE STAND-IN for Replicate's prediction API (not Replicate). See README.md.
export { StandInFaults } from './faults.ts';
export { STANDIN_MODELS, standInVersionId } from './models/index.ts';
export { ReplicateStandIn, type StandInRequestRecord, startReplicateStandIn } from './standin.ts';
export {
  type InvalidField,
  LOG_PREFIX,
  type PredictionStatus,
  type ReplicateStandInOptions,
  type StandInPrediction,
  type WebhookEvent,
  type WebhookRetryOptions,
} from './types.ts';
export type { WebhookDeliveryRecord } from './webhooks.ts';
