// The fake's gateway: the websocket discord.js connects to after asking
// `GET /gateway/bot`. It speaks plain JSON text frames (no zlib-sync installed,
// so discord.js asks for none: PROTOCOLS.md §4) and does just enough of the
// session dance for discord.js to become ready, stay connected and resume.
// Sessions are sharded as Discord shards them: a session that identified with
// `shard: [id, count]` hears only its guilds (shardOf below), and events with
// no guild (DMs) go to shard 0 (https://discord.com/developers/docs/events/gateway#sharding).
import type { Server } from 'node:http';
import { GatewayDispatchEvents, GatewayOpcodes } from 'discord.js';
import { WebSocketServer, type WebSocket } from 'ws';
import { snowflake } from './fakeDiscordPayloads.js';

/** `[shard_id, num_shards]` as IDENTIFY and READY carry it. */
export type ShardTuple = readonly [id: number, count: number];

/** A session that sends no `shard` is the one shard of one. */
export const UNSHARDED: ShardTuple = [0, 1];

/** The shard a guild's events go to: `(guild_id >> 22) % num_shards`. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** Whether a session of `shard` hears events of `guildId` (undefined: a DM or another event without a guild, which shard 0 gets). */
export function shardHears(shard: ShardTuple, guildId: string | undefined): boolean {
  return guildId === undefined ? shard[0] === 0 : shardOf(guildId, shard[1]) === shard[0];
}

export interface GatewayOptions {
  server: Server;
  /** `ws://127.0.0.1:PORT`: sent as `resume_gateway_url` so reconnects come back here. */
  url: string;
  /** READY for a session of `shard`: its `guilds` list only that shard's guilds. */
  readyPayload: (sessionId: string, shard: ShardTuple) => Record<string, unknown>;
  /** One GUILD_CREATE per guild of `shard`, sent after READY. */
  guildCreatePayloads: (shard: ShardTuple) => Array<Record<string, unknown>>;
}

/** What a test may read of a session. */
export interface GatewaySessionInfo {
  shard: ShardTuple;
  ready: boolean;
  /** Guilds sent in GUILD_CREATE on this connection. */
  guildIds: string[];
}

interface GatewaySession {
  socket: WebSocket;
  sessionId?: string;
  /** Last sequence number sent; dispatches count up from it. */
  seq: number;
  ready: boolean;
  shard: ShardTuple;
  guildIds: string[];
}

/** Discord's close code for a `shard` that is not `[id < count, count ≥ 1]`. */
const CLOSE_INVALID_SHARD = 4010;

// Discord's own interval. discord.js waits a random part of it before the first beat.
const HEARTBEAT_INTERVAL_MS = 41_250;

export class FakeGateway {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<GatewaySession>();
  /** Sessions survive a dropped socket so op 6 RESUME can find them, with the shard they identified as. */
  private readonly knownSessions = new Map<string, ShardTuple>();
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

  /** Ready sessions that would hear an event of this guild (undefined: no guild, shard 0). */
  readyClientsFor(guildId: string | undefined): number {
    return [...this.sessions].filter((s) => s.ready && shardHears(s.shard, guildId)).length;
  }

  sessionInfo(): GatewaySessionInfo[] {
    return [...this.sessions].map((s) => ({ shard: s.shard, ready: s.ready, guildIds: [...s.guildIds] }));
  }

  /**
   * Sends an event to every ready session of the shard its `guild_id` is on
   * (shard 0 when it has none), as Discord does; returns those sessions' shards.
   * Unsharded sessions are shard 0 of 1, so they hear everything.
   */
  dispatch(t: string, d: unknown): ShardTuple[] {
    const guildId = guildIdOf(d);
    const reached: ShardTuple[] = [];
    for (const session of this.sessions) {
      if (!session.ready || !shardHears(session.shard, guildId)) continue;
      this.sendDispatch(session, t, d);
      reached.push(session.shard);
    }
    return reached;
  }

  /** A guild the bot joined while connected: GUILD_CREATE to the sessions of its shard, as Discord sends it. */
  announceGuild(guild: Record<string, unknown>): void {
    const guildId = String(guild.id);
    for (const session of this.sessions) {
      if (!session.ready || !shardHears(session.shard, guildId)) continue;
      session.guildIds.push(guildId);
      this.sendDispatch(session, GatewayDispatchEvents.GuildCreate, guild);
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
    const session: GatewaySession = { socket, seq: 0, ready: false, shard: UNSHARDED, guildIds: [] };
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
        const shard = shardFromIdentify(payload.d);
        if (!shard) {
          session.socket.close(CLOSE_INVALID_SHARD, 'Invalid shard.');
          break;
        }
        const sessionId = snowflake();
        session.sessionId = sessionId;
        session.shard = shard;
        this.knownSessions.set(sessionId, shard);
        session.ready = true;
        this.sendDispatch(session, GatewayDispatchEvents.Ready, this.options.readyPayload(sessionId, shard));
        for (const guild of this.options.guildCreatePayloads(shard)) {
          session.guildIds.push(String(guild.id));
          this.sendDispatch(session, GatewayDispatchEvents.GuildCreate, guild);
        }
        break;
      }
      case GatewayOpcodes.Resume: {
        const { session_id: sessionId, seq } = payload.d as { session_id: string; seq: number | null };
        const shard = this.knownSessions.get(sessionId);
        if (!shard) {
          // d: false = "cannot resume, identify again".
          this.send(session, { op: GatewayOpcodes.InvalidSession, d: false });
          break;
        }
        session.sessionId = sessionId;
        session.shard = shard;
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

/** IDENTIFY's `shard`: absent is shard 0 of 1; anything but `[id, count]` with `0 ≤ id < count` is refused (undefined). */
function shardFromIdentify(d: unknown): ShardTuple | undefined {
  const shard = (d as { shard?: unknown } | null)?.shard;
  if (shard === undefined) return UNSHARDED;
  if (!Array.isArray(shard) || shard.length !== 2) return undefined;
  const [id, count] = shard as unknown[];
  if (!Number.isInteger(id) || !Number.isInteger(count)) return undefined;
  const [shardId, shardCount] = [id as number, count as number];
  return shardCount >= 1 && shardId >= 0 && shardId < shardCount ? [shardId, shardCount] : undefined;
}

function guildIdOf(d: unknown): string | undefined {
  const guildId = (d as { guild_id?: unknown } | null)?.guild_id;
  return typeof guildId === 'string' ? guildId : undefined;
}
