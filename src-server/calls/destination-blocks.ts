import type { DestinationAction } from "../../src-shared/server-api/operator";

export interface BlockRule {
  /** "+" and digits. */
  prefix: string;
  /** null: the whole service. */
  companyId: number | null;
  action: DestinationAction;
}

/**
 * Which ranges a company's calls may reach, held in memory for authorize:
 * the default blocked ranges plus the operator's rules. The longest matching
 * prefix decides; at the same prefix a company's rule beats a service-wide
 * one, which beats the default. So "+881" blocked by default with "+8816"
 * allowed for one company lets that company reach +8816… and nothing else
 * under +881.
 */
export class DestinationBlocks {
  readonly #defaults: ReadonlySet<string>;
  #service = new Map<string, DestinationAction>();
  #byCompany = new Map<number, Map<string, DestinationAction>>();

  constructor(defaultPrefixes: readonly string[]) {
    this.#defaults = new Set(defaultPrefixes);
  }

  /** The operator's rules as stored now (a reload replaces them all at once). */
  replaceRules(rules: readonly BlockRule[]): void {
    const service = new Map<string, DestinationAction>();
    const byCompany = new Map<number, Map<string, DestinationAction>>();
    for (const rule of rules) {
      if (rule.companyId === null) {
        service.set(rule.prefix, rule.action);
        continue;
      }
      let own = byCompany.get(rule.companyId);
      if (own === undefined) byCompany.set(rule.companyId, (own = new Map<string, DestinationAction>()));
      own.set(rule.prefix, rule.action);
    }
    this.#service = service;
    this.#byCompany = byCompany;
  }

  /** `e164` is "+" and digits (checked by the caller). */
  isBlocked(companyId: number, e164: string): boolean {
    const own = this.#byCompany.get(companyId);
    for (let end = e164.length; end > 1; end -= 1) {
      const prefix = e164.slice(0, end);
      const decided = own?.get(prefix) ?? this.#service.get(prefix) ?? (this.#defaults.has(prefix) ? "block" : undefined);
      if (decided !== undefined) return decided === "block";
    }
    return false;
  }
}
