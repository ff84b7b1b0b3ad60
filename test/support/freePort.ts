import { createServer } from 'node:net';

/** A loopback port nobody listens on right now (a bot's HTTP_PORT must be known before it starts, e.g. for PUBLIC_URL). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}
