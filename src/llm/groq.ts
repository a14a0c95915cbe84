/**
 * The one way the bot talks to an LLM: a single chat completion through groq-sdk, with a
 * hard timeout and no retries. The SDK is loaded on first use, so a bot without
 * GROQ_API_KEY never pays its memory. Callers validate what comes back; the LLM only
 * ever suggests.
 */
import type { Config } from '../config.js';

export interface GroqOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  /** 3 s unless a test says otherwise. */
  timeoutMs?: number;
}

export const GROQ_TIMEOUT_MS = 3000;

/** LLM features are on only when GROQ_API_KEY is set. */
export function groqOptions(config: Pick<Config, 'GROQ_API_KEY' | 'GROQ_BASE_URL' | 'GROQ_MODEL'>): GroqOptions | undefined {
  return config.GROQ_API_KEY ? { apiKey: config.GROQ_API_KEY, baseURL: config.GROQ_BASE_URL, model: config.GROQ_MODEL } : undefined;
}

export interface ChatRequest {
  system: string;
  user: string;
  temperature: number;
  maxTokens: number;
  json?: boolean;
}

/** The text of the first choice; throws on timeout, HTTP errors and unreachable hosts. */
export async function chat(opts: GroqOptions, request: ChatRequest): Promise<string> {
  const { default: Groq } = await import('groq-sdk');
  const timeoutMs = opts.timeoutMs ?? GROQ_TIMEOUT_MS;
  const client = new Groq({ apiKey: opts.apiKey, baseURL: opts.baseURL, timeout: timeoutMs, maxRetries: 0 });
  const completion = await client.chat.completions.create(
    {
      model: opts.model,
      temperature: request.temperature,
      max_tokens: request.maxTokens,
      ...(request.json ? { response_format: { type: 'json_object' as const } } : {}),
      messages: [
        { role: 'system', content: request.system },
        { role: 'user', content: request.user },
      ],
    },
    { signal: AbortSignal.timeout(timeoutMs) },
  );
  return completion.choices[0]?.message?.content ?? '';
}
