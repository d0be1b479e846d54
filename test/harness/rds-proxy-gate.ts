import { writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { selfSignedCertificate } from './self-signed-cert.ts';

/**
 * A TCP proxy standing in for RDS Proxy's rules in front of the embedded PostgreSQL:
 * - TLS is required (requireTLS: true in infra/database.ts): a client that starts without an
 *   SSLRequest is refused; TLS ends here with a certificate made at test time.
 * - Startup parameters other than the few RDS Proxy accepts are refused with its error,
 *   "unsupported startup parameter: <name>" (n8n#25705, node-postgres#2103), and so are `-c`
 *   settings inside `options` ("… in options: <name>"). pg's statement_timeout pool option is
 *   such a parameter.
 * - What pins an RDS Proxy session (a session-level SET, SQL-level PREPARE / EXECUTE / DEALLOCATE /
 *   DISCARD, LISTEN, temporary tables, holdable cursors, session advisory locks; the proxy's
 *   "Avoiding pinning" page) is not refused: the gate records it in `pins` so a test can insist on
 *   none. Named prepared statements made with the extended protocol's Parse message are not pins:
 *   RDS Proxy multiplexes them (it re-sends the Parse on whichever database connection it borrows;
 *   BENCHMARKS.md "RDS Proxy and plan reuse"). The gate records their names in `namedStatements`.
 * Accepted connections are forwarded byte for byte (plain TCP) to the upstream server.
 */
export interface RdsProxyGate {
  port: number;
  /** PEM file of the certificate the gate presents: the client's DATABASE_SSL_CA_FILE. */
  caFile: string;
  /** Why connections were refused, in order. */
  readonly refused: string[];
  /** Statements that would have pinned a proxy session. */
  readonly pins: string[];
  /** Names of protocol-level prepared statements (Parse with a name) that went through. */
  readonly namedStatements: Set<string>;
  /** Users of the connections forwarded upstream. */
  readonly users: string[];
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
/** What pg (and psql) send that RDS Proxy takes. */
const ACCEPTED = new Set([
  'user',
  'database',
  'client_encoding',
  'application_name',
  'DateStyle',
  'TimeZone',
]);
const PINS = [
  /^\s*(SET\s+(?!LOCAL\b)|RESET\s|SELECT\s+set_config\s*\([^)]*,\s*false\s*\))/i,
  /^\s*(PREPARE|EXECUTE|DEALLOCATE|DISCARD|LISTEN)\b/i,
  /^\s*CREATE\s+(GLOBAL\s+|LOCAL\s+)?TEMP(ORARY)?\s/i,
  /^\s*DECLARE\b[^;]*\bWITH\s+HOLD\b/i,
  // Session-level advisory locks (pg_advisory_xact_lock ends with the transaction: no pin).
  /\bpg_(try_)?advisory_lock(_shared)?\s*\(/i,
];
const pins = (text: string) => PINS.some((pattern) => pattern.test(text));

function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.concat(
    [
      ['S', 'FATAL'],
      ['V', 'FATAL'],
      ['C', code],
      ['M', message],
    ].map(([k, v]) => Buffer.from(`${k}${v}\0`)),
  );
  const body = Buffer.concat([fields, Buffer.from([0])]);
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function parseStartup(message: Buffer): Map<string, string> {
  const parts = message.subarray(8).toString('utf8').split('\0');
  const params = new Map<string, string>();
  for (let i = 0; i + 1 < parts.length && parts[i]; i += 2) params.set(parts[i]!, parts[i + 1]!);
  return params;
}

/** Reads exactly one length-prefixed startup-phase message (no type byte) from a socket. */
function readStartupMessage(socket: Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 4) return;
      const length = buffered.readInt32BE(0);
      if (buffered.length < length) return;
      socket.off('data', onData);
      socket.pause();
      if (buffered.length > length) socket.unshift(buffered.subarray(length));
      resolve(buffered.subarray(0, length));
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.resume();
  });
}

/** Watches client → server traffic for statements that pin a proxy session, and for named Parses. */
function pinWatcher(
  onPin: (statement: string) => void,
  onNamed: (name: string) => void,
): (chunk: Buffer) => void {
  let buffered = Buffer.alloc(0);
  return (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 5) {
      const length = buffered.readInt32BE(1);
      if (buffered.length < length + 1) return;
      const type = String.fromCharCode(buffered[0]!);
      const body = buffered.subarray(5, length + 1);
      buffered = buffered.subarray(length + 1);
      // 'Q': simple query; 'P': Parse (name\0query\0…), whose name is empty for unnamed statements.
      const parse = type === 'P' ? body.toString('utf8').split('\0') : undefined;
      const text = type === 'Q' ? body.toString('utf8') : parse?.[1];
      if (parse?.[0]) onNamed(parse[0]);
      if (text && pins(text)) onPin(text.replace(/\0/g, '').slice(0, 200));
    }
  };
}

export async function startRdsProxyGate(opts: { upstreamPort: number; dir: string }): Promise<RdsProxyGate> {
  const { cert, key } = selfSignedCertificate();
  const caFile = join(opts.dir, 'rds-proxy-gate-ca.pem');
  writeFileSync(caFile, cert);
  const refused: string[] = [];
  const pinned: string[] = [];
  const namedStatements = new Set<string>();
  const users: string[] = [];
  const sockets = new Set<Socket>();

  const refuse = (socket: Socket, code: string, message: string) => {
    refused.push(message);
    socket.end(errorResponse(code, message));
  };

  const handle = async (client: Socket) => {
    let socket: Socket = client;
    for (;;) {
      const message = await readStartupMessage(socket);
      const code = message.readInt32BE(4);
      if (code === CANCEL_REQUEST) return void socket.end();
      if (code === GSSENC_REQUEST) {
        socket.write('N');
        continue;
      }
      if (code === SSL_REQUEST) {
        if (socket !== client) return refuse(socket, '08P01', 'SSLRequest inside TLS');
        socket.write('S');
        const tlsSocket = new TLSSocket(client, { isServer: true, cert, key });
        await new Promise<void>((resolve, reject) => {
          tlsSocket.once('secure', resolve);
          tlsSocket.once('error', reject);
        });
        socket = tlsSocket;
        sockets.add(tlsSocket);
        continue;
      }
      if (code !== PROTOCOL_3) return refuse(socket, '08P01', `unsupported frontend protocol ${code}`);
      if (socket === client) return refuse(socket, '28000', 'This RDS Proxy requires TLS connections');
      const params = parseStartup(message);
      for (const name of params.keys()) {
        if (!ACCEPTED.has(name) && name !== 'options') {
          return refuse(socket, '08P01', `unsupported startup parameter: ${name}`);
        }
      }
      const setting = /-c\s*([\w.]+)=/.exec(params.get('options') ?? '');
      if (setting) return refuse(socket, '08P01', `unsupported startup parameter in options: ${setting[1]}`);

      users.push(params.get('user') ?? '');
      const upstream = createConnection({ host: '127.0.0.1', port: opts.upstreamPort });
      sockets.add(upstream);
      upstream.write(message);
      const watch = pinWatcher(
        (s) => pinned.push(s),
        (name) => namedStatements.add(name),
      );
      socket.on('data', (chunk: Buffer) => {
        watch(chunk);
        upstream.write(chunk);
      });
      upstream.pipe(socket);
      const closeBoth = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('close', closeBoth).on('error', closeBoth);
      upstream.on('close', closeBoth).on('error', closeBoth);
      socket.resume();
      return;
    }
  };

  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    handle(client).catch(() => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    caFile,
    refused,
    pins: pinned,
    namedStatements,
    users,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
