/**
 * Small operational steps of the runbook that more than one command needs: a mutating
 * call that must report success, and Webhook Sync Failures' "is the product visible to
 * AI queries?" check.
 */
import { OpsError } from '../errors.js';
import { describeEndpoint, type EndpointName } from '../svp/endpoints.js';
import type { SvpClient } from '../svp/client.js';
import { untrusted } from './message.js';

interface Outcome {
  success?: boolean;
  message?: string;
  error?: string;
  detail?: string;
}

/** Throws when a mutating endpoint answered success: false, so the audit records a failure. */
export function requireSuccess(endpoint: EndpointName, data: Outcome): void {
  if (data.success !== false) return;
  const why = data.error ?? data.detail ?? data.message;
  throw new OpsError('upstream', `\`${describeEndpoint(endpoint)}\` answered success: false${why ? `: ${untrusted(why)}` : ''}`);
}

/** A mutating step with nothing to follow: warm-up, cache clears, the Cognee reset. */
export async function runStep(svp: SvpClient, endpoint: 'warmUp' | 'cogneeReset' | 'cacheClear' | 'cacheClearExpired') {
  const result = await svp.call(endpoint);
  requireSuccess(endpoint, result.data);
  return result;
}

/** The runbook's test webhook (Webhook Sync Failures, step 2), for the named product. */
export function testWebhookPayload(productName: string) {
  return { type: 'INSERT', table: 'products', record: { id: 'test-123', name: productName, lifecycle_stage: 'Develop' } };
}

export const TEST_PRODUCT = 'Test Product';

export interface Visibility {
  product: string;
  visible: boolean;
  answer?: string;
  confidence?: number;
  latencyMs: number;
}

/** Phrases of an AI answer that does not know the product. */
const NOT_KNOWN = /\b(not found|no (such )?product|unknown product|could ?n[o']t find|can ?n[o']t find|do(es)? ?n[o']t know|no information)\b/i;

/** Step 3: asks the AI about the product; it is visible when the answer speaks of it. */
export async function productVisibility(svp: SvpClient, product: string): Promise<Visibility> {
  const { data, latencyMs } = await svp.call('aiQuery', { body: { query: `Tell me about ${product}` } });
  const answer = data.answer;
  const visible = data.success !== false && !!answer && answer.toLowerCase().includes(product.toLowerCase()) && !NOT_KNOWN.test(answer);
  return { product, visible, answer, confidence: data.confidence, latencyMs };
}

export interface SyncTest {
  webhook: { message?: string; latencyMs: number };
  visibility: Visibility;
}

/** Webhook Sync Failures, steps 2 and 3: send the test webhook, then ask the AI about it. */
export async function syncTest(svp: SvpClient, product: string): Promise<SyncTest> {
  const { data, latencyMs } = await svp.call('syncWebhook', { body: testWebhookPayload(product) });
  requireSuccess('syncWebhook', data);
  return { webhook: { message: data.message, latencyMs }, visibility: await productVisibility(svp, product) };
}
