import { connect } from 'node:net';

/** Reads `INFO stats` from a Redis server (plain RESP over TCP; no client library needed). */
export function redisStats(url: string): Promise<Record<string, number>> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let data = '';
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.on('connect', () => socket.write('INFO stats\r\n'));
    socket.on('data', (chunk: string) => {
      data += chunk;
      const header = /^\$(\d+)\r\n/.exec(data);
      if (header && Buffer.byteLength(data) >= header[0].length + Number(header[1])) {
        socket.end();
        const out: Record<string, number> = {};
        for (const line of data.slice(header[0].length).split('\r\n')) {
          const [key, value] = line.split(':');
          if (value !== undefined && /^\d+$/.test(value)) out[key] = Number(value);
        }
        resolve(out);
      }
    });
  });
}

/** Redis commands, hits and misses between two readings. */
export function redisDelta(
  a: Record<string, number>,
  b: Record<string, number>,
): { commands: number; hits: number; misses: number } {
  const d = (k: string) => (b[k] ?? 0) - (a[k] ?? 0);
  return { commands: d('total_commands_processed'), hits: d('keyspace_hits'), misses: d('keyspace_misses') };
}
