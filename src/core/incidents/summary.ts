/**
 * The summary paragraph of the post-mortem: written by Groq from the timeline when
 * GROQ_API_KEY is set, otherwise (or when Groq fails, is slow or answers nonsense) put
 * together from the facts.
 */
import { z } from 'zod';
import { chat, type GroqOptions } from '../../llm/groq.js';
import { CHECKLIST_ITEMS, SEVERITY_LEVELS, type IncidentState } from './model.js';
import { declarationText, describeEvent, incidentDuration, minutes, utcTime, type Who } from './timeline.js';

export const SUMMARY_MAX = 600;

const markdownWho: Who = (id) => `@${id}`;

export function deterministicSummary(state: IncidentState, now: number): string {
  const { incident } = state;
  const level = SEVERITY_LEVELS[state.severity];
  const sentences = [
    `${state.severity} (${level.name}) incident “${incident.title}”${incident.feature ? ` affecting ${incident.feature}` : ''} was declared by @${incident.declaredBy} at ${utcTime(incident.declaredAt)}`
      + (state.resolved ? ` and resolved by @${state.resolved.by} after ${incidentDuration(state, now)}.` : ` and has been open for ${incidentDuration(state, now)}.`),
  ];
  if (state.firstResponseAt !== undefined) {
    const took = state.firstResponseAt - incident.declaredAt;
    sentences.push(`The first response came after ${minutes(took)} (target: ${level.target}, ${took <= level.targetMs ? 'met' : 'missed'}).`);
  } else sentences.push(`Nobody responded on the checklist (target: ${level.target}).`);
  const done = CHECKLIST_ITEMS.filter((i) => state.checks[i.id]?.done).length;
  sentences.push(`${done} of ${CHECKLIST_ITEMS.length} checklist items were done.`);
  if (state.lastStatus) sentences.push(`Last status: ${state.lastStatus.text}`);
  return bound(sentences.join(' '));
}

/** Cuts at a sentence end when it can, so the paragraph never stops mid-word. */
export function bound(text: string, max = SUMMARY_MAX): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const sentenceEnd = cut.lastIndexOf('. ');
  return sentenceEnd > max / 2 ? cut.slice(0, sentenceEnd + 1) : `${cut.slice(0, cut.lastIndexOf(' '))}…`;
}

/** One paragraph of plain prose: no markup, links or mentions that could ping anyone. */
const groqParagraph = z
  .string()
  .transform((s) => s.replace(/[`<>*_#|]/g, '').replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(40).max(4 * SUMMARY_MAX));

/** `groq` is undefined without GROQ_API_KEY. */
export async function summarize(state: IncidentState, now: number, groq: GroqOptions | undefined, onError?: (err: unknown) => void): Promise<{ text: string; source: 'groq' | 'deterministic' }> {
  if (!groq) return { text: deterministicSummary(state, now), source: 'deterministic' };
  try {
    const timeline = [`${utcTime(state.incident.declaredAt)} ${declarationText(state.incident, markdownWho)}`, ...state.timeline.map((e) => `${utcTime(e.at)} ${describeEvent(e, markdownWho)}`)];
    const content = await chat(groq, {
      system: 'You write the summary paragraph of an incident post-mortem. Plain prose, 2 to 4 sentences, under 500 characters, no lists, no markdown, no speculation beyond the timeline.',
      user: `Facts: ${deterministicSummary(state, now)}\nTimeline:\n${timeline.slice(-80).join('\n')}`,
      temperature: 0.2,
      maxTokens: 300,
    });
    const parsed = groqParagraph.safeParse(content);
    if (!parsed.success) throw new Error('Groq answered without a usable paragraph');
    return { text: bound(parsed.data), source: 'groq' };
  } catch (err) {
    onError?.(err);
    return { text: deterministicSummary(state, now), source: 'deterministic' };
  }
}
