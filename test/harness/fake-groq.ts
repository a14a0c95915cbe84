/**
 * A stand-in for Groq's OpenAI-compatible chat endpoint on loopback: each test says how
 * it answers (content, status, delay); every request is recorded.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GroqReply {
  status?: number;
  content?: string;
  delayMs?: number;
}

export interface GroqRequest {
  path?: string;
  auth?: string;
  body: { model: string; messages: { role: string; content: string }[] };
}

export interface FakeGroq {
  url: string;
  requests: GroqRequest[];
  answer: (body: GroqRequest['body']) => GroqReply;
  close(): Promise<void>;
}

export async function startFakeGroq(answer: FakeGroq['answer'] = () => ({})): Promise<FakeGroq> {
  let server: Server;
  const fake: FakeGroq = {
    url: '',
    requests: [],
    answer,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw) as GroqRequest['body'];
    fake.requests.push({ path: req.url, auth: req.headers.authorization, body });
    const { status = 200, content = '', delayMs = 0 } = fake.answer(body);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(status === 200 ? { id: 'c1', object: 'chat.completion', created: 1, model: body.model, choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }] } : { error: { message: 'boom' } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
