import { defineCommand } from '../src/app/command.js';
import { text } from '../src/app/args.js';
import { untrusted, type Message } from '../src/core/message.js';

export default defineCommand({
  name: 'ask',
  usage: 'ask <question>',
  summary: 'Ask the SVP AI (POST /ai/query): answer, confidence and sources',
  examples: ['/svp ask What blockers does Product X have?'],
  args: text('a question after `ask`'),
  effect: 'read',
  visibility: 'channel',
  async run({ services }, question): Promise<Message> {
    const { data, latencyMs } = await services.svp.call('aiQuery', { body: { query: question } });
    const confidence = data.confidence === undefined ? 'not reported' : `${data.confidence.toFixed(2)}${data.confidence < 0.5 ? ' (low: stale data? try `/svp cognee ingest products`)' : ''}`;
    const sources = (data.sources ?? []).slice(0, 10).map((s, i) => {
      const title = untrusted(s.title ?? ('name' in s ? String(s.name ?? '') : '') ?? 'untitled') || 'untitled';
      const url = 'url' in s && typeof s.url === 'string' && /^https?:\/\/[^\s|>]+$/.test(s.url) ? s.url : undefined;
      return `${i + 1}. ${url ? `<${url}|${title}>` : title}${'score' in s && s.score !== undefined ? ` (${s.score})` : ''}`;
    });
    const answer = data.success === false ? `:red_circle: The AI could not answer${data.error ? `: ${untrusted(data.error)}` : '.'}` : untrusted(data.answer ?? '_The answer field was missing from the response._');
    return {
      text: `Q: ${question.slice(0, 200)} — ${data.answer?.slice(0, 500) ?? 'no answer'}`,
      visibility: 'channel',
      parts: [
        { type: 'text', text: `*Q:* ${untrusted(question)}` },
        { type: 'text', text: answer },
        { type: 'fields', fields: [{ label: 'Confidence', value: confidence }, { label: 'Sources', value: sources.length ? String(sources.length) : 'none reported' }] },
        ...(sources.length ? [{ type: 'text' as const, text: sources.join('\n') }] : []),
        ...(data.mode === 'rag_fallback'
          ? [{ type: 'text' as const, text: ':large_yellow_circle: Degraded: Cognee or Groq is unavailable, so this answer comes from RAG alone (slower, less grounded). See `/svp runbook slow-ai-queries`.' }]
          : []),
        { type: 'context', text: `POST /ai/query · ${latencyMs} ms · ${services.svp.target}` },
      ],
    };
  },
});
