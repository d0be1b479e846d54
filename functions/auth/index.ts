import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { forgotPassword } from './forgot-password.ts';
import { login } from './login.ts';
import { logout } from './logout.ts';
import { me } from './me.ts';
import { refresh } from './refresh.ts';
import { register } from './register.ts';
import { resendVerification } from './resend-verification.ts';
import { resetPassword } from './reset-password.ts';
import { authRoutes } from './routes.ts';
import { verifyEmail } from './verify-email.ts';

export const handler = createDomainHandler(authRoutes, 'auth', {
  register,
  login,
  refresh,
  logout,
  me,
  verifyEmail,
  resendVerification,
  forgotPassword,
  resetPassword,
});
