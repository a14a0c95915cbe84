/**
 * Slack's side of Socket Mode on loopback: a WebSocket server that the fake Slack's
 * apps.connections.open points at. It greets with `hello`, delivers envelopes (slash
 * commands, interactions) as Slack does, and records the acks the app sends back.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeSlack } from './fake-slack.js';

export interface Envelope {
  envelope_id: string;
  type: 'slash_commands' | 'interactive' | 'events_api';
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
}

export interface FakeSocketMode {
  /** Resolves when an app has connected and been greeted. */
  connected(): Promise<void>;
  /** Sends an envelope; resolves with the app's ack and how long it took. */
  deliver(type: Envelope['type'], payload: Record<string, unknown>): Promise<{ ack: Record<string, unknown>; ms: number }>;
  close(): Promise<void>;
}

export async function startFakeSocketMode(slack: FakeSlack): Promise<FakeSocketMode> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  slack.socketUrl = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link`;
  const acks = new Map<string, (ack: Record<string, unknown>) => void>();
  let socket: WebSocket | undefined;
  let greeted: () => void;
  const ready = new Promise<void>((resolve) => (greeted = resolve));
  server.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      const id = String(message.envelope_id ?? '');
      acks.get(id)?.(message);
      acks.delete(id);
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake', build_number: 1, approximate_connection_time: 3600 }, connection_info: { app_id: slack.appId } }));
    greeted();
  });
  return {
    connected: () => ready,
    async deliver(type, payload) {
      await ready;
      const envelope: Envelope = { envelope_id: randomUUID(), type, payload, accepts_response_payload: type !== 'events_api' };
      const started = performance.now();
      const ack = new Promise<Record<string, unknown>>((resolve) => acks.set(envelope.envelope_id, resolve));
      socket!.send(JSON.stringify(envelope));
      return { ack: await ack, ms: performance.now() - started };
    },
    async close() {
      for (const client of server.clients) client.terminate();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
