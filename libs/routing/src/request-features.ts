import { createHash } from 'node:crypto';

/**
 * What routing rules read of a chat completion request. Bounded: a request
 * is at most the gateway's body limit, and every walk here is linear in it.
 */
export type Body = Record<string, unknown>;

interface Message {
  role?: unknown;
  content?: unknown;
}

const messages = (body: Body): Message[] =>
  Array.isArray(body.messages) ? (body.messages.filter((m) => typeof m === 'object' && m !== null) as Message[]) : [];

/** Content parts of a message: a plain string is one text part. */
function parts(content: unknown): { type?: unknown; text?: unknown }[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? (content.filter((p) => typeof p === 'object' && p !== null) as never[]) : [];
}

const IMAGE_PARTS = new Set(['image_url', 'input_image', 'image']);

export function hasImages(body: Body): boolean {
  return messages(body).some((m) => parts(m.content).some((p) => IMAGE_PARTS.has(String(p.type))));
}

export function hasTools(body: Body): boolean {
  const listed = (v: unknown) => Array.isArray(v) && v.length > 0;
  return listed(body.tools) || listed(body.functions);
}

function text(m: Message): string {
  return parts(m.content)
    .map((p) => (typeof p.text === 'string' ? p.text : ''))
    .filter(Boolean)
    .join('\n');
}

/** The prompt's tokens, estimated as characters / 4 (the usual rule of thumb for English with BPE tokenizers). */
export function estimatePromptTokens(body: Body): number {
  let chars = 0;
  for (const m of messages(body)) chars += text(m).length;
  if (typeof body.prompt === 'string') chars += body.prompt.length;
  return Math.ceil(chars / 4);
}

/** The text of the last user message ('' when there is none). */
export function lastUserText(body: Body): string {
  const users = messages(body).filter((m) => m.role === 'user');
  return users.length ? text(users[users.length - 1]) : typeof body.prompt === 'string' ? body.prompt : '';
}

/** The text of the first user message, and whether the request is that first turn (one user message). */
export function firstUserTurn(body: Body): { text: string; isFirst: boolean } {
  const users = messages(body).filter((m) => m.role === 'user');
  return { text: users.length ? text(users[0]) : '', isFirst: users.length <= 1 };
}

/** A conversation's identity: its system prompt and first user message (stable across its turns). */
export function conversationKey(scope: string, body: Body): string {
  const system = messages(body)
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map(text)
    .join('\n');
  return createHash('sha256')
    .update(scope)
    .update('\0')
    .update(system)
    .update('\0')
    .update(firstUserTurn(body).text)
    .digest('hex');
}

/** The request's `metadata` value for `key`, when it is a string. */
export function metadataValue(body: Body, key: string): string | undefined {
  const metadata = body.metadata;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return undefined;
  const value = (metadata as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}
