import { sendVerificationAgain } from '../../shared/accounts/verification.ts';
import { getDb } from '../../shared/db/client.ts';
import { Reply, type RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const resendVerification: RouteHandler<Routes['resendVerification']> = async ({ user }) => {
  await sendVerificationAgain(getDb(), user.id);
  return new Reply(202, { status: 'verification_sent' as const });
};
