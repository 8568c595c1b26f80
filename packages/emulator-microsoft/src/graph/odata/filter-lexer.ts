/**
 * Tokens of an OData $filter: identifiers (also keywords and function names), string literals
 * with '' escapes, numbers, unquoted date/time and GUID literals, and punctuation.
 */

export type FilterToken =
  | { t: 'ident'; v: string; at: number }
  | { t: 'string'; v: string; at: number }
  | { t: 'number'; v: number; at: number }
  | { t: 'datetime'; v: number; raw: string; at: number }
  | { t: 'guid'; v: string; at: number }
  | { t: 'punct'; v: '(' | ')' | ',' | ':' | '/'; at: number };

export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const DATETIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})?)?/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_@$][\w.@$]*/;

export function lexFilter(text: string): FilterToken[] {
  const out: FilterToken[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = text.slice(i);
    if ('(),:/'.includes(ch)) {
      out.push({ t: 'punct', v: ch as '(', at: i });
      i++;
      continue;
    }
    if (ch === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new FilterSyntaxError(`Unterminated string literal at position ${i} in '${text}'.`, i);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j++];
      }
      out.push({ t: 'string', v: value, at: i });
      i = j + 1;
      continue;
    }
    const guid = GUID.exec(rest);
    if (guid) {
      out.push({ t: 'guid', v: guid[0], at: i });
      i += guid[0].length;
      continue;
    }
    const dt = DATETIME.exec(rest);
    if (dt) {
      // A bare date is midnight UTC; a time without an offset is UTC too.
      const raw = dt[0];
      const iso = raw.length === 10 ? `${raw}T00:00:00Z` : /Z|[+-]\d{2}:\d{2}$/.test(raw) ? raw : `${raw}Z`;
      const ms = Date.parse(iso);
      if (!Number.isFinite(ms)) throw new FilterSyntaxError(`The date/time literal '${raw}' is not valid.`, i);
      out.push({ t: 'datetime', v: ms, raw, at: i });
      i += raw.length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      out.push({ t: 'number', v: Number(num[0]), at: i });
      i += num[0].length;
      continue;
    }
    const ident = IDENT.exec(rest);
    if (ident) {
      out.push({ t: 'ident', v: ident[0], at: i });
      i += ident[0].length;
      continue;
    }
    throw new FilterSyntaxError(`Syntax error: character '${ch}' is not valid at position ${i} in '${text}'.`, i);
  }
  return out;
}
