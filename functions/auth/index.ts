import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { routes } from '../routes.ts';
import { login } from './login.ts';
import { logout } from './logout.ts';
import { me } from './me.ts';
import { refresh } from './refresh.ts';
import { register } from './register.ts';

export const handler = createDomainHandler(routes, 'auth', { register, login, refresh, logout, me });
