import type { DbOrTrx } from '../db/client.ts';
import type { PushPlatform } from '../db/schema.ts';
import { NotFoundError, ServiceUnavailableError } from '../http/errors.ts';
import { logger } from '../logging/logger.ts';
import { DEFAULT_PUSH_PREFERENCES, type PushPreferences } from './compose.ts';
import {
  deleteDevices,
  deleteOwnDevice,
  findDeviceByToken,
  findPreferences,
  listSurplusDevices,
  upsertDevice,
  upsertPreferences,
} from './repository.ts';
import { createPlatformEndpoint, deleteEndpoint, enableEndpoint, platformApplicationArn } from './sns.ts';

/** Devices per person; registering one more forgets the oldest (most likely an uninstalled app). */
export const MAX_DEVICES_PER_USER = 10;

/** Best effort: an endpoint we no longer publish to costs nothing; the row is what matters. */
async function forgetEndpoints(arns: readonly string[]): Promise<void> {
  for (const arn of arns) {
    await deleteEndpoint(arn).catch((err) =>
      logger.warn('could not delete a push endpoint', { endpoint_arn: arn, error: err as Error }),
    );
  }
}

/**
 * Registers a device token for push: one SNS platform endpoint per token (SNS returns the same
 * one for the same token, so a repeat is harmless), outside any transaction. A token seen before
 * is enabled again (APNs/FCM may have disabled it) and moves to this person and sign-in.
 */
export async function registerDevice(
  db: DbOrTrx,
  user: { id: string; sessionId: string | null },
  platform: PushPlatform,
  token: string,
) {
  const application = platformApplicationArn(platform);
  if (!application) {
    throw new ServiceUnavailableError(`Push to ${platform} devices is not configured`, 'push_not_configured');
  }
  const known = await findDeviceByToken(db, token);
  let endpointArn: string;
  if (known && known.platform === platform) {
    endpointArn = known.endpoint_arn;
    await enableEndpoint(endpointArn);
  } else {
    endpointArn = await createPlatformEndpoint(application, token);
  }
  const device = await upsertDevice(db, {
    user_id: user.id,
    session_id: user.sessionId,
    platform,
    token,
    endpoint_arn: endpointArn,
  });
  const surplus = await listSurplusDevices(db, user.id, MAX_DEVICES_PER_USER);
  await deleteDevices(
    db,
    surplus.map((d) => d.id),
  );
  await forgetEndpoints(surplus.map((d) => d.endpoint_arn));
  return device;
}

export async function unregisterDevice(db: DbOrTrx, userId: string, deviceId: string): Promise<void> {
  const gone = await deleteOwnDevice(db, deviceId, userId);
  if (!gone) throw new NotFoundError('Device');
  await forgetEndpoints([gone.endpoint_arn]);
}

export async function readPushPreferences(db: DbOrTrx, userId: string): Promise<PushPreferences> {
  return (await findPreferences(db, userId)) ?? DEFAULT_PUSH_PREFERENCES;
}

/** A partial update: switches not mentioned keep their value (or the default). */
export async function changePushPreferences(
  db: DbOrTrx,
  userId: string,
  patch: Partial<PushPreferences>,
): Promise<PushPreferences> {
  return upsertPreferences(db, userId, { ...DEFAULT_PUSH_PREFERENCES, ...patch }, patch);
}
