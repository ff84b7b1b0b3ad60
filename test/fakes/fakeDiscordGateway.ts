// The fake's gateway: the websocket discord.js connects to after asking
// `GET /gateway/bot`. It speaks plain JSON text frames (no zlib-sync installed,
// so discord.js asks for none: PROTOCOLS.md §4) and does just enough of the
// session dance for discord.js to become ready, stay connected and resume.
import type { Server } from 'node:http';
import { GatewayDispatchEvents, GatewayOpcodes } from 'discord.js';
import { WebSocketServer, type WebSocket } from 'ws';
import { snowflake } from './fakeDiscordPayloads.js';

export interface GatewayOptions {
  server: Server;
  /** `ws://127.0.0.1:PORT`: sent as `resume_gateway_url` so reconnects come back here. */
  url: string;
  readyPayload: (sessionId: string) => Record<string, unknown>;
  guildCreatePayload: () => Record<string, unknown>;
}

interface GatewaySession {
  socket: WebSocket;
  sessionId?: string;
  /** Last sequence number sent; dispatches count up from it. */
  seq: number;
  ready: boolean;
}

// Discord's own interval. discord.js waits a random part of it before the first beat.
const HEARTBEAT_INTERVAL_MS = 41_250;

export class FakeGateway {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<GatewaySession>();
  /** Sessions survive a dropped socket so op 6 RESUME can find them. */
  private readonly knownSessionIds = new Set<string>();
  private identifies = 0;

  constructor(private readonly options: GatewayOptions) {
    this.wss = new WebSocketServer({ server: options.server, path: '/' });
    this.wss.on('connection', (socket) => this.onConnection(socket));
  }

  identifyCount(): number {
    return this.identifies;
  }

  connectedClients(): number {
    return this.sessions.size;
  }

  /** Sessions that received READY (or RESUMED): the ones that get dispatches. */
  readyClients(): number {
    return [...this.sessions].filter((s) => s.ready).length;
  }

  /** Sends an event to every ready session, as Discord does for each session of the shard. */
  dispatch(t: string, d: unknown): void {
    for (const session of this.sessions) {
      if (session.ready) this.sendDispatch(session, t, d);
    }
  }

  /** op 7: tells discord.js to reconnect and resume, as Discord does during maintenance. */
  requestReconnect(): void {
    for (const session of this.sessions) this.send(session, { op: GatewayOpcodes.Reconnect, d: null });
  }

  async close(): Promise<void> {
    // terminate, not close: a close handshake waits for a client that may be gone.
    for (const session of this.sessions) session.socket.terminate();
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(socket: WebSocket): void {
    const session: GatewaySession = { socket, seq: 0, ready: false };
    this.sessions.add(session);
    socket.on('close', () => this.sessions.delete(session));
    socket.on('error', () => this.sessions.delete(session));
    socket.on('message', (raw) => this.onMessage(session, JSON.parse(raw.toString()) as { op: number; d: unknown }));
    this.send(session, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: HEARTBEAT_INTERVAL_MS } });
  }

  private onMessage(session: GatewaySession, payload: { op: number; d: unknown }): void {
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        this.send(session, { op: GatewayOpcodes.HeartbeatAck });
        break;
      case GatewayOpcodes.Identify: {
        this.identifies += 1;
        const sessionId = snowflake();
        session.sessionId = sessionId;
        this.knownSessionIds.add(sessionId);
        session.ready = true;
        this.sendDispatch(session, GatewayDispatchEvents.Ready, this.options.readyPayload(sessionId));
        this.sendDispatch(session, GatewayDispatchEvents.GuildCreate, this.options.guildCreatePayload());
        break;
      }
      case GatewayOpcodes.Resume: {
        const { session_id: sessionId, seq } = payload.d as { session_id: string; seq: number | null };
        if (!this.knownSessionIds.has(sessionId)) {
          // d: false = "cannot resume, identify again".
          this.send(session, { op: GatewayOpcodes.InvalidSession, d: false });
          break;
        }
        session.sessionId = sessionId;
        session.seq = seq ?? 0;
        session.ready = true;
        this.sendDispatch(session, GatewayDispatchEvents.Resumed, null);
        break;
      }
      default:
        // Presence and voice updates, request guild members…: nothing the bot needs answered.
        break;
    }
  }

  private sendDispatch(session: GatewaySession, t: string, d: unknown): void {
    this.send(session, { op: GatewayOpcodes.Dispatch, t, s: ++session.seq, d });
  }

  private send(session: GatewaySession, payload: Record<string, unknown>): void {
    if (session.socket.readyState === session.socket.OPEN) session.socket.send(JSON.stringify(payload));
  }
}
