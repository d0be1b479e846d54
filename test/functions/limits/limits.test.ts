import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as auth } from '../../../functions/auth/index.ts';
import { resetEnvCache } from '../../../shared/config/env.ts';
import { resetSecretsClient } from '../../../shared/config/secrets.ts';
import { getDb } from '../../../shared/db/client.ts';
import { ORIGIN_SECRET_HEADER, VIEWER_ADDRESS_HEADER } from '../../../shared/http/origin.ts';
import { limitsEnv } from '../../../shared/limits/config.ts';
import { SecretsManagerStandIn } from '../../../shared/local/secrets-standin.ts';
import { httpApiEvent, lambdaContext } from '../../harness/events.ts';
import { registerUser, type TestUser, uniqueSuffix } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';

/**
 * The per-client limits the app enforces itself, with counters in Postgres (rate_limits), so
 * every Lambda instance sees the same count. Time is moved by editing a counter's timestamps,
 * never by waiting.
 */
const api = useApi();
const LIMIT_VARS = [
  'LOGIN_FIRST_DELAY_SECONDS',
  'LOGIN_MAX_DELAY_SECONDS',
  'LOGIN_WINDOW_MINUTES',
  'SIGNUPS_PER_IP_PER_HOUR',
  'AI_JOBS_PER_USER_PER_MINUTE',
  'ORIGIN_SECRET',
  'ORIGIN_SECRET_ARN',
  'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_REGION',
] as const;
const saved = Object.fromEntries(LIMIT_VARS.map((k) => [k, process.env[k]]));

function setEnv(vars: Partial<Record<(typeof LIMIT_VARS)[number], string>>): void {
  Object.assign(process.env, vars);
  resetEnvCache();
}
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
});

const login = (email: string, password: string) =>
  api.request('POST', '/v1/auth/login', { body: { email, password } });

/** Moves a counter's clock back, as if `seconds` had passed. */
async function timePasses(key: string, seconds: number): Promise<void> {
  const ago = sql`make_interval(secs => ${seconds})`;
  await sql`UPDATE rate_limits SET window_started_at = window_started_at - ${ago},
            last_hit_at = last_hit_at - ${ago}, blocked_until = blocked_until - ${ago}
            WHERE key = ${key}`.execute(getDb());
}

const counter = (key: string) =>
  getDb().selectFrom('rate_limits').selectAll().where('key', '=', key).executeTakeFirst();

let user: TestUser;
beforeAll(async () => {
  user = await registerUser(api);
});

/**
 * Sign-in delays are lengthened here (100 s, 200 s, … at most 600 s instead of 1 s … 60 s) so that
 * no request on a loaded machine can outlast one: which attempts are refused must not depend on speed.
 */
const SLOW_LOGIN = {
  LOGIN_FIRST_DELAY_SECONDS: '100',
  LOGIN_MAX_DELAY_SECONDS: '600',
  // Failures are remembered long enough for the waits to add up to the lock.
  LOGIN_WINDOW_MINUTES: '600',
};

describe('sign-in backoff per account', () => {
  beforeEach(() => setEnv(SLOW_LOGIN));

  it('has the documented defaults', () => {
    delete process.env.LOGIN_FIRST_DELAY_SECONDS;
    delete process.env.LOGIN_MAX_DELAY_SECONDS;
    delete process.env.LOGIN_WINDOW_MINUTES;
    // (The harness raises the sign-up and AI limits for the other test files.)
    delete process.env.SIGNUPS_PER_IP_PER_HOUR;
    delete process.env.AI_JOBS_PER_USER_PER_MINUTE;
    resetEnvCache();
    expect(limitsEnv()).toEqual({
      SIGNUPS_PER_IP_PER_HOUR: 5,
      AI_JOBS_PER_USER_PER_MINUTE: 10,
      LOGIN_FREE_ATTEMPTS: 5,
      LOGIN_FIRST_DELAY_SECONDS: 1,
      LOGIN_MAX_DELAY_SECONDS: 60,
      LOGIN_LOCK_AFTER: 10,
      LOGIN_LOCK_MINUTES: 15,
      LOGIN_WINDOW_MINUTES: 15,
    });
  });

  it('answers 5 wrong passwords at once, then makes each wait twice as long, then locks for 15 minutes', async () => {
    const key = `login:${user.email}`;
    /** A Retry-After of `seconds`, less whatever the request itself took. */
    const expectRetryAfter = (res: { headers: Headers }, seconds: number) => {
      const value = Number(res.headers.get('retry-after'));
      expect(value).toBeLessThanOrEqual(seconds);
      expect(value).toBeGreaterThan(seconds - 10);
    };
    for (let i = 0; i < 5; i++) expect((await login(user.email, 'wrong-password-1')).status).toBe(401);

    const early = await login(user.email, 'wrong-password-1');
    expect(early.status).toBe(429);
    expect(early.body.error.code).toBe('login_backoff');
    expectRetryAfter(early, 100);
    // Not even the right password is checked while it must wait.
    expect((await login(user.email, user.password)).status).toBe(429);

    // Failures 6..10, each after exactly the wait it was told: 100, 200, 400 s, then the 600 s cap.
    for (const wait of [100, 200, 400, 600, 600]) {
      await timePasses(key, wait);
      const res = await login(user.email, 'wrong-password-1');
      expect(res.status, `after waiting ${wait} s`).toBe(401);
      if (wait === 600) continue;
      const next = await login(user.email, 'wrong-password-1');
      expect(next.status).toBe(429);
      expectRetryAfter(next, Math.min(wait * 2, 600));
    }
    // The 10th failure locked the account: 429 with a 15-minute Retry-After, right password or not.
    const locked = await login(user.email, user.password);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('login_locked');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(locked.body.error.details).toEqual({ retry_after_seconds: retryAfter });

    await timePasses(key, 14 * 60);
    expect((await login(user.email, user.password)).status).toBe(429);
    // The lock is over (and so is the last 600 s wait).
    await timePasses(key, 61);
    const ok = await login(user.email, user.password);
    expect(ok.status, ok.text).toBe(200);
    // A success forgets the failures.
    expect(await counter(key)).toBeUndefined();
  });

  it('30 wrong passwords in a row: 5 are checked, 25 are refused without a password check', async () => {
    const someone = await registerUser(api);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await login(someone.email, `guess-${i}-password`)).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
  });

  it('a burst of parallel guesses gets no further than a sequence', async () => {
    const someone = await registerUser(api);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login(someone.email, `parallel-guess-${i}`)),
    );
    expect(results.filter((r) => r.status === 401)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429)).toHaveLength(15);
    expect((await counter(`login:${someone.email}`))?.hits).toBe(5);
  });

  it('treats an unknown email exactly like a known one (nothing to enumerate)', async () => {
    const nobody = `nobody_${uniqueSuffix()}@example.test`;
    const known = await registerUser(api);
    for (const email of [nobody, known.email]) {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await login(email, 'wrong-password-1')).status);
      expect(statuses, email).toEqual([401, 401, 401, 401, 401, 429, 429]);
    }
  });

  it('a success in between resets the count', async () => {
    const someone = await registerUser(api);
    for (let i = 0; i < 4; i++) expect((await login(someone.email, 'wrong-password-1')).status).toBe(401);
    expect((await login(someone.email, someone.password)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login(someone.email, 'wrong-password-1')).status).toBe(401);
  });
});

describe('AI requests per person per minute', () => {
  it('refuses the request over the limit with 429 and charges nothing for it; others are unaffected', async () => {
    setEnv({ AI_JOBS_PER_USER_PER_MINUTE: '3' });
    const someone = await registerUser(api);
    const music = () =>
      api.request('POST', '/v1/ai/music', { token: someone.accessToken, body: { prompt: 'lofi beats' } });
    for (let i = 0; i < 3; i++) expect((await music()).status).toBe(202);
    const over = await music();
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('ai_rate_limited');
    const retryAfter = Number(over.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // capture-frame counts too (refused before it looks at the video).
    const frame = await api.request('POST', '/v1/ai/capture-frame', {
      token: someone.accessToken,
      body: { video_id: '00000000-0000-4000-8000-000000000000', at_ms: 0 },
    });
    expect(frame.status).toBe(429);
    const me = await api.request('GET', '/v1/auth/me', { token: someone.accessToken });
    expect(me.body.credits).toBe(100 - 3 * 5);

    const other = await registerUser(api);
    expect(
      (
        await api.request('POST', '/v1/ai/music', {
          token: other.accessToken,
          body: { prompt: 'lofi beats' },
        })
      ).status,
    ).toBe(202);
    // A minute later the person may go on.
    await timePasses(`ai:${someone.id}`, 61);
    expect((await music()).status).toBe(202);
  });
});

/** Registers through the auth Lambda with an API Gateway event from `sourceIp`. */
async function registerFrom(sourceIp: string, headers: Record<string, string> = {}) {
  const suffix = uniqueSuffix();
  const event = httpApiEvent({
    method: 'POST',
    path: '/v1/auth/register',
    headers,
    body: JSON.stringify({
      email: `ip_${suffix}@example.test`,
      username: `ip_${suffix}`,
      password: `pw-${suffix}-Trickster!`,
    }),
  });
  event.requestContext.http.sourceIp = sourceIp;
  return auth(event, lambdaContext('lokiz-auth'));
}

const randomIp = () => `198.18.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

describe('sign-ups per client IP per hour', () => {
  it('allows SIGNUPS_PER_IP_PER_HOUR accounts from one IP, then 429 until the hour is over', async () => {
    setEnv({ SIGNUPS_PER_IP_PER_HOUR: '3' });
    const ip = randomIp();
    for (let i = 0; i < 3; i++) expect((await registerFrom(ip)).statusCode).toBe(201);
    const over = await registerFrom(ip);
    expect(over.statusCode).toBe(429);
    expect(JSON.parse(over.body!).error.code).toBe('signup_rate_limited');
    expect(Number(over.headers?.['retry-after'])).toBeGreaterThan(3500);
    expect((await registerFrom(randomIp())).statusCode).toBe(201);
    await timePasses(`signup:${ip}`, 3601);
    expect((await registerFrom(ip)).statusCode).toBe(201);
  });

  it("ignores a client's own CloudFront-Viewer-Address header when no origin secret proves CloudFront", async () => {
    setEnv({ SIGNUPS_PER_IP_PER_HOUR: '2' });
    const ip = randomIp();
    for (let i = 0; i < 2; i++) {
      expect((await registerFrom(ip, { [VIEWER_ADDRESS_HEADER]: `${randomIp()}:443` })).statusCode).toBe(201);
    }
    expect((await registerFrom(ip, { [VIEWER_ADDRESS_HEADER]: `${randomIp()}:443` })).statusCode).toBe(429);
  });
});

describe('behind CloudFront (origin secret configured)', () => {
  const secret = randomBytes(32).toString('base64url');

  it('refuses any request without the origin header (the execute-api endpoint cannot bypass the WAF)', async () => {
    setEnv({ ORIGIN_SECRET: secret });
    for (const headers of [
      {},
      { [ORIGIN_SECRET_HEADER]: 'guess' },
      { [ORIGIN_SECRET_HEADER]: `${secret}x` },
    ] as Record<string, string>[]) {
      const res = await api.request('GET', '/health', { headers });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect(
      (await api.request('GET', '/health', { headers: { [ORIGIN_SECRET_HEADER]: secret } })).status,
    ).toBe(200);
  });

  it("counts sign-ups by CloudFront's viewer address, IPv4 or IPv6", async () => {
    setEnv({ ORIGIN_SECRET: secret, SIGNUPS_PER_IP_PER_HOUR: '1' });
    const viewer = (address: string) => ({
      [ORIGIN_SECRET_HEADER]: secret,
      [VIEWER_ADDRESS_HEADER]: address,
    });
    const v4 = randomIp();
    const v6 = `2001:db8::${randomBytes(2).toString('hex')}`;
    // One shared CloudFront edge as the source IP, as API Gateway sees it.
    const edge = randomIp();
    expect((await registerFrom(edge, viewer(`${v4}:51234`))).statusCode).toBe(201);
    expect((await registerFrom(edge, viewer(`${v4}:443`))).statusCode).toBe(429);
    expect((await registerFrom(edge, viewer(`${v6}:443`))).statusCode).toBe(201);
    expect((await registerFrom(edge, viewer(`${v6}:8443`))).statusCode).toBe(429);
    expect(await counter(`signup:${v6}`)).toMatchObject({ hits: 2 });
  });

  it('follows a changed origin secret (Secrets Manager) without a restart', async () => {
    const standIn = new SecretsManagerStandIn();
    await standIn.start();
    try {
      const arn = standIn.create('lokiz/origin', secret);
      setEnv({
        ORIGIN_SECRET_ARN: arn,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: standIn.url,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_REGION: 'us-east-1',
      });
      resetSecretsClient();
      const health = (value: string) =>
        api.request('GET', '/health', { headers: { [ORIGIN_SECRET_HEADER]: value } });
      expect((await health(secret)).status).toBe(200);
      // The operator changes the secret and deploys: CloudFront now sends the new value.
      const next = randomBytes(32).toString('base64url');
      standIn.create('lokiz/origin', next);
      expect((await health(next)).status).toBe(200);
      expect((await health(secret)).status).toBe(403);
    } finally {
      resetSecretsClient();
      await standIn.close();
    }
  });
});
