import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { login } from './login.ts';
import { logout } from './logout.ts';
import { me } from './me.ts';
import { refresh } from './refresh.ts';
import { register } from './register.ts';
import { authRoutes } from './routes.ts';

export const handler = createDomainHandler(authRoutes, 'auth', { register, login, refresh, logout, me });
