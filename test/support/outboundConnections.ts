import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

/**
 * Every TCP connection this process tries to open, seen from below every HTTP
 * client (undici, Node's fetch, discord.js, ws all end in `net`): the proof
 * that a refused URL was never contacted, not just never read.
 */
export interface OutboundConnections {
  /** `ip:port` of each attempt, in order, e.g. `127.0.0.1:40123`. */
  readonly attempts: string[];
  /** Attempts to anything but 127.0.0.1 (destroyed at once: a failing test must not reach the network either). */
  readonly blocked: string[];
  stop(): void;
}

const SOCKET_CHANNEL = 'net.client.socket';

export function recordOutboundConnections(): OutboundConnections {
  const attempts: string[] = [];
  const blocked: string[] = [];
  const onSocket = (message: unknown) => {
    const { socket } = message as { socket: Socket };
    // 'connectionAttempt' (Node ≥ 20.12) fires for IP literals too, before the SYN is answered.
    socket.on('connectionAttempt', (ip: string, port: number) => {
      const target = `${ip}:${port}`;
      attempts.push(target);
      if (ip !== '127.0.0.1') {
        blocked.push(target);
        socket.destroy(new Error(`test guard: blocked a connection to ${target}`));
      }
    });
  };
  subscribe(SOCKET_CHANNEL, onSocket);
  return {
    attempts,
    blocked,
    stop: () => unsubscribe(SOCKET_CHANNEL, onSocket),
  };
}
