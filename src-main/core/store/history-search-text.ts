import { buildFtsQuery, maxQueryTokens } from "../../../src-shared/crm/fts-query";

/** Scripts written without spaces between words: unicode61 cannot find a name inside a longer run of them. */
const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** The trigram index answers three characters or more; shorter runs fall back to LIKE. */
const trigramMin = 3;
const maxTokenLength = 64;

export interface HistoryText {
  /** unicode61 MATCH over numbers, names, notes, outcome (word prefixes); null: no such words. */
  words: string | null;
  /** trigram MATCH (substrings of 3+ characters); null: none. */
  trigram: string | null;
  /** LIKE patterns (escaped with `\`) for 1–2 character CJK runs. */
  likes: string[];
}

const quote = (text: string): string => `"${text.replaceAll('"', '""')}"`;
const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Splits what the user typed: words with CJK characters go to the trigram
 * index (quoted, so nothing in them is FTS5 syntax), or to a LIKE when shorter
 * than a trigram; everything else to the word index as before. All parts are AND-ed.
 */
export function parseHistoryText(input: string): HistoryText {
  const tokens = input.normalize("NFKC").split(/\s+/).filter((t) => t !== "");
  const cjkTokens = tokens.filter((t) => cjk.test(t)).slice(0, maxQueryTokens);
  const others = tokens.filter((t) => !cjk.test(t));
  const long = cjkTokens.filter((t) => [...t].length >= trigramMin).map((t) => quote([...t].slice(0, maxTokenLength).join("")));
  const short = cjkTokens.filter((t) => [...t].length < trigramMin).map(likePattern);
  return { words: buildFtsQuery(others.join(" ")), trigram: long.length === 0 ? null : long.join(" AND "), likes: short };
}
