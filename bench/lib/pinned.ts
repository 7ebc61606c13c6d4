import { Agent, request } from 'node:http';

/**
 * An HTTP client held to one keep-alive connection, so that behind node:cluster (which hands a
 * connection to one worker for its lifetime) every request it sends reaches the same worker.
 */
export class PinnedClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  constructor(private readonly baseUrl: string) {}

  send(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: string }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.baseUrl}${path}`,
        {
          method,
          agent: this.agent,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  async pid(): Promise<number> {
    const res = await this.send('GET', '/bench/whoami');
    return (JSON.parse(res.body) as { pid: number }).pid;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** One pinned client per worker pid (opens connections until each worker has one). */
export async function clientsPerWorker(
  baseUrl: string,
  pids: number[],
  attempts = 50,
): Promise<Map<number, PinnedClient>> {
  const byPid = new Map<number, PinnedClient>();
  for (let i = 0; i < attempts && byPid.size < pids.length; i++) {
    const client = new PinnedClient(baseUrl);
    const pid = await client.pid();
    if (byPid.has(pid)) client.close();
    else byPid.set(pid, client);
  }
  if (byPid.size < pids.length) throw new Error(`reached ${byPid.size} of ${pids.length} workers`);
  return byPid;
}
