/**
 * The AI routes: /ai/query, the /debug/* pipeline stages and /cognee/query. Answers are
 * canned but follow the world: a product the AI knows is described, one it does not know
 * is "not found" with low confidence.
 */
import { requireCognee } from './cognee.js';
import { ok, optionalString, requiredString } from './http.js';
import type { RequestContext, Route } from './routes.js';
import { knownProducts, profileTotal, type CatalogProduct, type SimState } from './state.js';

const FRONTEND_PRODUCTS_URL = 'https://studio-pilot-vision.lovable.app/products';
const NOT_FOUND_CONFIDENCE = 0.15;
const GENERAL_CONFIDENCE = 0.72;

type Subject =
  | { kind: 'known'; product: CatalogProduct }
  | { kind: 'unknown'; name: string }
  /** A question about no product in particular. */
  | { kind: 'general' };

/** What a question is about: a product it names (longest name first), or "about <name>". */
function subjectOf(state: SimState, query: string, productId?: string): Subject {
  const known = knownProducts(state);
  const byId = productId ? known.find((p) => p.id === productId) : undefined;
  if (byId) return { kind: 'known', product: byId };
  const lower = query.toLowerCase();
  const names = [...new Set([...state.products, ...state.catalog.map((p) => p.name)])].sort((a, b) => b.length - a.length);
  const named = names.find((name) => lower.includes(name.toLowerCase()));
  if (named) {
    const product = known.find((p) => p.name === named);
    return product ? { kind: 'known', product } : { kind: 'unknown', name: named };
  }
  const about = /\babout\s+(.+?)[\s?.!]*$/i.exec(query);
  return about ? { kind: 'unknown', name: about[1]! } : { kind: 'general' };
}

/** The intent classifier's keyword rules, first match wins. */
const INTENTS = [
  { intent: 'blockers', pattern: /block|stuck|imped/i, route: 'rag', confidence: 0.95 },
  { intent: 'risks', pattern: /risk|threat/i, route: 'cognee', confidence: 0.9 },
  { intent: 'timeline', pattern: /when|deadline|milestone|timeline|week|quarter/i, route: 'cognee', confidence: 0.88 },
  { intent: 'status', pattern: /status|about|progress|how is/i, route: 'hybrid', confidence: 0.85 },
];

function classify(query: string) {
  const rule = INTENTS.find((r) => r.pattern.test(query));
  return rule ? { intent: rule.intent, confidence: rule.confidence, route: rule.route } : { intent: 'general', confidence: 0.6, route: 'hybrid' };
}

function aiQuery({ state, body }: RequestContext) {
  const query = requiredString(body, 'query');
  const subject = subjectOf(state, query);
  // Without Groq or Cognee the service still answers, from RAG alone (runbook Issues 1 and 3).
  const mode = state.groqUp && state.cognee.ready ? 'hybrid' : 'rag_fallback';
  const common = { intent: classify(query).intent, mode, query_time_ms: profileTotal(state.profile) };
  if (subject.kind === 'known') {
    const { id, name, lifecycle_stage } = subject.product;
    return ok({
      success: true,
      answer: `${name} is in the ${lifecycle_stage} stage. It has 2 open blockers (vendor API access, security review) and its next milestone is due in 3 weeks.`,
      confidence: mode === 'hybrid' ? state.confidence.overall : Math.round(state.confidence.overall * 80) / 100,
      sources: [
        { title: `${name} product record`, url: `${FRONTEND_PRODUCTS_URL}/${id}`, score: 0.92 },
        { title: `${name} weekly status update`, score: 0.87 },
      ],
      ...common,
    });
  }
  if (subject.kind === 'unknown') {
    return ok({ success: true, answer: `Product "${subject.name}" was not found in the knowledge graph.`, confidence: NOT_FOUND_CONFIDENCE, sources: [], ...common });
  }
  const count = state.products.length;
  return ok({
    success: true,
    answer: count ? `Studio Pilot Vision tracks ${count} products; ask about one by name for its status, blockers and risks.` : 'No products are in the knowledge graph yet.',
    confidence: count ? GENERAL_CONFIDENCE : NOT_FOUND_CONFIDENCE,
    sources: count ? [{ title: 'Portfolio overview', url: FRONTEND_PRODUCTS_URL, score: 0.7 }] : [],
    ...common,
  });
}

/** The subject of a /debug request: its product_id, else the product its query names. */
function debugSubject({ state, body }: RequestContext): CatalogProduct | undefined {
  const subject = subjectOf(state, optionalString(body, 'query') ?? '', optionalString(body, 'product_id'));
  return subject.kind === 'known' ? subject.product : undefined;
}

function debugRag(ctx: RequestContext) {
  const product = debugSubject(ctx);
  const chunks = product
    ? [
        { id: `${product.id}-record`, source: 'products', text: `${product.name}: lifecycle stage ${product.lifecycle_stage}` },
        { id: `${product.id}-update`, source: 'weekly_updates', text: `${product.name}: blocked on vendor API access` },
        { id: `${product.id}-actions`, source: 'actions', text: `${product.name}: security review scheduled` },
      ]
    : [];
  return ok({ chunks, relevance_scores: [0.9, 0.85, 0.78].slice(0, chunks.length), retrieval_ms: ctx.state.profile.rag_retrieval });
}

function debugCognee(ctx: RequestContext) {
  requireCognee(ctx.state);
  const product = debugSubject(ctx);
  if (!product) return ok({ entities: [], relationships: [] });
  const blocker = { id: `${product.id}-blocker-1`, type: 'Blocker', name: 'Vendor API access' };
  const action = { id: `${product.id}-action-1`, type: 'Action', name: 'Security review' };
  return ok({
    entities: [{ id: product.id, type: 'Product', name: product.name }, blocker, action],
    relationships: [
      { source: product.id, target: blocker.id, type: 'HAS_BLOCKER' },
      { source: product.id, target: action.id, type: 'HAS_ACTION' },
    ],
    query_ms: ctx.state.profile.cognee_query,
  });
}

function cogneeQuery({ state, body }: RequestContext) {
  requireCognee(state);
  const query = requiredString(body, 'query');
  const subject = subjectOf(state, query);
  const products = subject.kind === 'known' ? [subject.product] : /product/i.test(query) ? knownProducts(state) : [];
  return ok({ results: products.map((p) => ({ id: p.id, type: 'Product', name: p.name, lifecycle_stage: p.lifecycle_stage, score: 0.9 })) });
}

export const aiRoutes: Route[] = [
  { method: 'POST', key: '/ai/query', handle: aiQuery },
  { method: 'POST', key: '/cognee/query', handle: cogneeQuery },
  { method: 'POST', key: '/debug/intent', handle: ({ body }) => ok(classify(requiredString(body, 'query'))) },
  { method: 'POST', key: '/debug/rag', handle: debugRag },
  { method: 'POST', key: '/debug/cognee', handle: debugCognee },
  { method: 'POST', key: '/debug/confidence', handle: ({ state }) => ok({ ...state.confidence }) },
  {
    method: 'POST',
    key: '/debug/profile',
    handle: ({ state }) => ok({ total_time_ms: profileTotal(state.profile), breakdown: { ...state.profile } }),
  },
];
