/**
 * What an answer says. By default: words generated from the prompt's hash
 * (text.generator.ts). Two kinds of request get a scripted text instead,
 * checked in this order: a chat completion when SIM_CLASSIFIER_RULES is set
 * and a rule matches (the category), and a request with a JSON
 * response_format (json.answer.ts). A scripted text is as long as it is,
 * finishing with `stop`, unless max_tokens (or the context) is shorter: then
 * it is cut there and finishes with `length`, as a real model's would be,
 * which leaves a JSON answer that does not parse.
 */
import { classifierAnswer, classify, type ClassifierRule } from './classifier.rules.js';
import type { JsonAnswers } from './json.answer.js';
import type { GenerationRequest } from './openai.request.js';
import { generateWords, streamPieces, textPieces } from './text.generator.js';

export interface ContentSettings {
  classifierRules: readonly ClassifierRule[] | null;
  classifierNoise: boolean;
  json: JsonAnswers;
}

export interface Content {
  /** The request with completionTokens and finishReason set to what the answer has. */
  request: GenerationRequest;
  /** One per token; they concatenate to the answer's text. */
  pieces: string[];
}

/** Throws a 400 ApiError for a response_format schema the simulator cannot answer. */
export function contentOf(request: GenerationRequest, settings: ContentSettings): Content {
  const scripted = scriptedText(request, settings);
  if (scripted === null)
    return { request, pieces: streamPieces(generateWords(request.seed, request.completionTokens)) };
  const all = textPieces(scripted);
  const cut = all.length > request.tokenLimit;
  const pieces = cut ? all.slice(0, request.tokenLimit) : all;
  return { request: { ...request, completionTokens: pieces.length, finishReason: cut ? 'length' : 'stop' }, pieces };
}

function scriptedText(request: GenerationRequest, settings: ContentSettings): string | null {
  // First, so a bad schema is a 400 whether or not a classifier rule then answers instead.
  const json = request.responseFormat === null ? null : settings.json.content(request.responseFormat);
  if (request.endpoint === 'chat' && settings.classifierRules !== null) {
    const category = classify(settings.classifierRules, request.lastUserText);
    if (category !== null) return classifierAnswer(category, settings.classifierNoise);
  }
  return json;
}
