import type { EngineConfig } from './config.js';

/** One piece of what the engine derives from a configuration (a classifier, a compiled vocabulary), and how it is built. */
export interface KnowledgePart<T> {
  readonly name: string;
  build(config: EngineConfig): T;
}

/** Declares a part of the knowledge: built from a configuration on first use, then kept with that configuration's knowledge. */
export function knowledgePart<T>(name: string, build: (config: EngineConfig) => T): KnowledgePart<T> {
  return { name, build };
}

/**
 * What the engine derives from one configuration: its classifiers, the vocabularies of the rule
 * pack merged with the team's and compiled (sinks, loggers, encryption, authentication...), the
 * team rules' detectors. Each part is built on first use and never changes: a configuration is
 * not edited in place (the host builds a new one), so an edit of the configuration means a new
 * knowledge, and nothing derived from the old one is seen again.
 *
 * It lives as long as its configuration: the project holds the knowledge of the configurations it
 * analyses with (`ProjectFacts.knowledge`); code that is given only the configuration reaches the
 * same object through `knowledgeOf(config)`.
 */
export class Knowledge {
  private readonly parts = new Map<KnowledgePart<unknown>, unknown>();

  constructor(readonly config: EngineConfig) {}

  get<T>(part: KnowledgePart<T>): T {
    // One lookup on a hit: classifiers and vocabularies are asked for in every loop.
    const hit = this.parts.get(part);
    if (hit !== undefined || this.parts.has(part)) return hit as T;
    const value = part.build(this.config);
    this.parts.set(part, value);
    return value;
  }

  /** The names of the parts built so far (for tests and diagnostics). */
  built(): string[] {
    return [...this.parts.keys()].map((p) => p.name);
  }
}

const byConfig = new WeakMap<EngineConfig, Knowledge>();

/** The knowledge of a configuration: one object per configuration, the same for every caller. */
export function knowledgeOf(config: EngineConfig): Knowledge {
  let knowledge = byConfig.get(config);
  if (!knowledge) byConfig.set(config, (knowledge = new Knowledge(config)));
  return knowledge;
}
