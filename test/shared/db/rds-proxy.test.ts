import { readFileSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { handler as migrate } from '../../../functions/workers/migrate.ts';
import { migrationProvider } from '../../../shared/db/migrations/index.ts';
import { APP_DB_ROLE } from '../../../shared/db/roles.ts';
import { useAwsLikeDatabase } from '../../harness/aws-database.ts';
import { useApi } from '../../harness/http.ts';

/**
 * The db client, the migrations and the API through a stand-in for RDS Proxy's rules (TLS
 * required, unknown startup parameters refused, what would pin a proxy session recorded; the
 * feed's protocol-level named statements are not pins), with credentials from a Secrets Manager
 * stand-in, as in AWS: the owner migrates, the application role serves.
 */
const aws = useAwsLikeDatabase('lokiz_gate');
const api = useApi();

function client(extra: pg.ClientConfig): pg.Client {
  return new pg.Client({
    host: 'localhost',
    port: aws.gate.port,
    database: aws.database,
    user: APP_DB_ROLE,
    password: aws.appPassword,
    ssl: { ca: readFileSync(aws.gate.caFile, 'utf8'), rejectUnauthorized: true },
    ...extra,
  });
}

async function connectError(c: pg.Client): Promise<string> {
  try {
    await c.connect();
    await c.end();
    return 'connected';
  } catch (err) {
    return (err as Error).message;
  }
}

describe('through an RDS-Proxy-like gate', () => {
  it('refuses what RDS Proxy refuses: no TLS, statement_timeout as a startup parameter or in options', async () => {
    expect(await connectError(client({ ssl: false }))).toMatch(/requires TLS/);
    // The pool option this client used to pass, which would have failed every connection in AWS.
    expect(await connectError(client({ statement_timeout: 10_000 }))).toBe(
      'unsupported startup parameter: statement_timeout',
    );
    expect(await connectError(client({ options: '-c statement_timeout=10000' }))).toBe(
      'unsupported startup parameter in options: statement_timeout',
    );
    expect(aws.gate.refused).toHaveLength(3);
  });

  it('the migrate worker applies every migration as the owner and lets the application role log in', async () => {
    await aws.asOwner();
    const applied = await migrate();
    expect(applied).toEqual(Object.keys(await migrationProvider.getMigrations()).sort());
    // A second run (the next deploy) changes nothing and keeps the app role's password.
    expect(await migrate()).toEqual([]);
    // Each run pins its one session for Kysely's migration lock (a session advisory lock), and nothing else.
    expect(aws.gate.pins).toHaveLength(2);
    for (const pin of aws.gate.pins) expect(pin).toMatch(/select pg_advisory_lock\(/);
    const app = client({});
    await app.connect();
    const settings = await app.query(
      `SELECT current_user AS "user", current_setting('statement_timeout') AS statement,
              current_setting('idle_in_transaction_session_timeout') AS idle,
              current_setting('lock_timeout') AS lock`,
    );
    expect(settings.rows[0]).toEqual({ user: APP_DB_ROLE, statement: '10s', idle: '30s', lock: '5s' });
    await app.end();
  });

  it('the application role reads and writes data, and nothing else (the audit log only grows)', async () => {
    const app = client({});
    await app.connect();
    try {
      await expect(app.query('SELECT count(*) FROM users')).resolves.toBeDefined();
      for (const statement of [
        'CREATE TABLE intruder (id int)',
        'DROP TABLE users',
        'TRUNCATE users',
        'ALTER TABLE users ADD COLUMN x int',
        'SELECT * FROM kysely_migration',
        'CREATE ROLE intruder',
        `ALTER ROLE ${APP_DB_ROLE} CREATEROLE`,
      ]) {
        await expect(app.query(statement), statement).rejects.toMatchObject({ code: '42501' });
      }
      // The moderation audit log is append-only for the app too: its trigger refuses UPDATE and
      // DELETE whoever asks, and TRUNCATE is not among the app's rights.
      const entry = await app.query<{ id: string }>(
        `INSERT INTO moderation_actions (moderator_id, action, target_type, target_id, reason)
         VALUES (gen_random_uuid(), 'suspend', 'user', gen_random_uuid(), 'gate test') RETURNING id`,
      );
      const id = entry.rows[0]!.id;
      for (const statement of [
        `UPDATE moderation_actions SET reason = 'rewritten' WHERE id = '${id}'`,
        `DELETE FROM moderation_actions WHERE id = '${id}'`,
        'TRUNCATE moderation_actions',
      ]) {
        await expect(app.query(statement), statement).rejects.toMatchObject({ code: '42501' });
      }
      const kept = await app.query('SELECT reason FROM moderation_actions WHERE id = $1', [id]);
      expect(kept.rows).toEqual([{ reason: 'gate test' }]);
    } finally {
      await app.end();
    }
  });

  it('the application role has data rights on every table and sequence the migrations made, later ones included', async () => {
    const app = client({});
    await app.connect();
    try {
      // Owner-side view of the schema, asked as the app role: pg_class is readable by everyone.
      const tables = await app.query<{ name: string; dml: boolean; truncate: boolean }>(
        `SELECT c.relname AS name,
                has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE') AS dml,
                has_table_privilege(c.oid, 'TRUNCATE') AS truncate
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname NOT LIKE 'kysely_migration%'`,
      );
      const names = tables.rows.map((t) => t.name);
      // Tables of migrations after the role's own (20261130T1200): accounts (1400), live updates and push (1500).
      expect(names).toEqual(
        expect.arrayContaining([
          'username_reservations',
          'email_tokens',
          'account_exports',
          'live_connections',
          'event_outbox',
          'push_devices',
          'push_preferences',
          'push_like_batches',
          'rate_limits',
          // Trust and safety (1700).
          'blocks',
          'reports',
          'moderation_actions',
        ]),
      );
      for (const t of tables.rows) expect([t.name, t.dml, t.truncate]).toEqual([t.name, true, false]);
      const sequences = await app.query<{ name: string; usable: boolean }>(
        `SELECT c.relname AS name, has_sequence_privilege(c.oid, 'USAGE, SELECT') AS usable
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind = 'S'`,
      );
      for (const s of sequences.rows) expect([s.name, s.usable]).toEqual([s.name, true]);
    } finally {
      await app.end();
    }
  });

  it('serves API calls as the application role, without pinning a session', async () => {
    await aws.asApp();
    // The migrations before held Kysely's session advisory lock, which pins (RDS Proxy keeps the
    // migrate worker's one session on one connection: what a lock needs). The API must pin nothing.
    const pinsBefore = aws.gate.pins.length;
    const email = `gate_${Date.now()}@example.test`;
    const register = await api.request('POST', '/v1/auth/register', {
      body: { email, username: `gate_${Date.now() % 1e8}`, password: 'through-the-proxy-42' },
    });
    expect(register.status, register.text).toBe(201);
    const token = register.body.access_token ?? register.body.tokens?.access_token;
    const me = await api.request('GET', '/v1/auth/me', { token });
    expect(me.status, me.text).toBe(200);
    expect(me.body.email).toBe(email);
    // Accounts (issue 14) and live updates (issue 15: a write records its event in event_outbox).
    const profile = await api.request('PATCH', '/v1/account/profile', {
      token,
      body: { bio: 'through the proxy' },
    });
    expect(profile.status, profile.text).toBe(200);
    const notifications = await api.request('GET', '/v1/notifications', { token });
    expect(notifications.status, notifications.text).toBe(200);
    // The feed's statements are named prepared statements (shared/db/plan-reuse.ts): more than
    // five executions of one, so PostgreSQL behind the gate switches it to its generic plan.
    for (let i = 0; i < 7; i++) {
      const feed = await api.request('GET', '/v1/videos?limit=5');
      expect(feed.status, feed.text).toBe(200);
    }
    expect([...aws.gate.namedStatements].some((name) => name.startsWith('lokiz_'))).toBe(true);
    expect(aws.gate.users).toContain(APP_DB_ROLE);
    expect(aws.gate.pins.slice(pinsBefore)).toEqual([]);
    // Nothing but the three deliberate refusals above.
    expect(aws.gate.refused).toHaveLength(3);
  });

  it('counts as pins what RDS Proxy pins on (session SET, SQL PREPARE/EXECUTE/DEALLOCATE, session advisory locks), not protocol-level named statements', async () => {
    const app = client({});
    await app.connect();
    const before = aws.gate.pins.length;
    try {
      // Not pins: a protocol-level named statement (Parse with a name), parsed once and run again
      // by name, a transaction-scoped SET LOCAL and a transaction-scoped advisory lock.
      for (const n of [1, 2]) {
        const named = await app.query({ name: 'gate_named', text: 'SELECT $1::int AS n', values: [n] });
        expect(named.rows).toEqual([{ n }]);
      }
      await app.query('BEGIN');
      await app.query("SET LOCAL work_mem = '8MB'");
      await app.query('SELECT pg_advisory_xact_lock(42)');
      await app.query('COMMIT');
      expect(aws.gate.namedStatements).toContain('gate_named');
      expect(aws.gate.pins.length).toBe(before);
      // Pins: SQL-level prepared statements, a session SET, session advisory locks.
      const pinning = [
        'PREPARE gate_sql AS SELECT 1',
        'EXECUTE gate_sql',
        'DEALLOCATE gate_sql',
        "SET work_mem = '8MB'",
        'SELECT pg_advisory_lock(43)',
        'SELECT pg_try_advisory_lock(44)',
      ];
      for (const statement of pinning) await app.query(statement);
      expect(aws.gate.pins.slice(before)).toEqual(pinning);
      // The same statements sent as protocol-level named statements still pin: the text decides.
      await app.query({ name: 'gate_named_set', text: "SET work_mem = '4MB'" });
      expect(aws.gate.pins.slice(before + pinning.length)).toEqual(["SET work_mem = '4MB'"]);
    } finally {
      await app.end();
    }
  });
});
