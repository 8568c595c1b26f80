/**
 * $filter → syntax tree, by recursive descent over OData's precedence: `or` < `and` < `not` <
 * comparison (eq ne gt ge lt le) < primary (parentheses, literals, functions, property paths,
 * and `any`/`all` lambdas over collections). `not` takes a whole comparison, so both
 * `not isRead` and `not contains(subject,'x')` read as expected.
 */
import { FilterSyntaxError, lexFilter, type FilterToken } from './filter-lexer.ts';

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type LiteralType = 'string' | 'number' | 'boolean' | 'null' | 'datetime' | 'guid';

export type FilterExpr =
  | { k: 'logic'; op: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { k: 'not'; expr: FilterExpr }
  | { k: 'compare'; op: CompareOp; left: FilterExpr; right: FilterExpr }
  | { k: 'call'; fn: string; args: FilterExpr[] }
  | { k: 'literal'; type: LiteralType; value: string | number | boolean | null }
  | { k: 'path'; segments: string[] }
  | { k: 'lambda'; quantifier: 'any' | 'all'; collection: string[]; variable?: string; body?: FilterExpr };

const COMPARE = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
export const FUNCTIONS = new Set(['contains', 'startswith', 'endswith', 'tolower', 'toupper', 'trim', 'length']);

class Parser {
  private i = 0;
  constructor(
    private readonly toks: FilterToken[],
    private readonly text: string,
  ) {}

  private fail(message?: string): never {
    const at = this.toks[this.i]?.at ?? this.text.length;
    throw new FilterSyntaxError(message ?? `Syntax error at position ${at} in '${this.text}'.`, at);
  }

  private peekIdent(...words: string[]): boolean {
    const t = this.toks[this.i];
    return t?.t === 'ident' && words.includes(t.v.toLowerCase());
  }

  private peekPunct(p: string): boolean {
    const t = this.toks[this.i];
    return t?.t === 'punct' && t.v === p;
  }

  private expectPunct(p: string): void {
    if (!this.peekPunct(p)) this.fail();
    this.i++;
  }

  parse(): FilterExpr {
    if (this.toks.length === 0) this.fail('The $filter expression is empty.');
    const e = this.or();
    if (this.i < this.toks.length) this.fail();
    return e;
  }

  private or(): FilterExpr {
    let left = this.and();
    while (this.peekIdent('or')) {
      this.i++;
      left = { k: 'logic', op: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): FilterExpr {
    let left = this.not();
    while (this.peekIdent('and')) {
      this.i++;
      left = { k: 'logic', op: 'and', left, right: this.not() };
    }
    return left;
  }

  private not(): FilterExpr {
    if (this.peekIdent('not')) {
      this.i++;
      return { k: 'not', expr: this.not() };
    }
    return this.comparison();
  }

  private comparison(): FilterExpr {
    const left = this.primary();
    const t = this.toks[this.i];
    if (t?.t === 'ident' && COMPARE.has(t.v.toLowerCase())) {
      this.i++;
      return { k: 'compare', op: t.v.toLowerCase() as CompareOp, left, right: this.primary() };
    }
    return left;
  }

  private primary(): FilterExpr {
    const t = this.toks[this.i];
    if (!t) this.fail();
    if (t.t === 'punct') {
      if (t.v !== '(') this.fail();
      this.i++;
      const e = this.or();
      this.expectPunct(')');
      return e;
    }
    this.i++;
    switch (t.t) {
      case 'string':
        return { k: 'literal', type: 'string', value: t.v };
      case 'number':
        return { k: 'literal', type: 'number', value: t.v };
      case 'datetime':
        return { k: 'literal', type: 'datetime', value: t.v };
      case 'guid':
        return { k: 'literal', type: 'guid', value: t.v };
    }
    const word = t.v.toLowerCase();
    if (word === 'true' || word === 'false') return { k: 'literal', type: 'boolean', value: word === 'true' };
    if (word === 'null') return { k: 'literal', type: 'null', value: null };
    if (this.peekPunct('(')) {
      if (!FUNCTIONS.has(word)) this.fail(`An unknown function with name '${t.v}' was found.`);
      this.i++;
      const args: FilterExpr[] = [];
      if (!this.peekPunct(')')) {
        args.push(this.or());
        while (this.peekPunct(',')) {
          this.i++;
          args.push(this.or());
        }
      }
      this.expectPunct(')');
      return { k: 'call', fn: word, args };
    }
    return this.path(t.v);
  }

  /** `a/b/c`, optionally ending in `/any(x: ...)` or `/all(x: ...)`. */
  private path(first: string): FilterExpr {
    const segments = [first];
    while (this.peekPunct('/')) {
      this.i++;
      const seg = this.toks[this.i];
      if (seg?.t !== 'ident') this.fail();
      this.i++;
      const q = seg.v.toLowerCase();
      if ((q === 'any' || q === 'all') && this.peekPunct('(')) {
        this.i++;
        if (this.peekPunct(')')) {
          if (q === 'all') this.fail();
          this.i++;
          return { k: 'lambda', quantifier: 'any', collection: segments };
        }
        const variable = this.toks[this.i];
        if (variable?.t !== 'ident') this.fail();
        this.i++;
        this.expectPunct(':');
        const body = this.or();
        this.expectPunct(')');
        return { k: 'lambda', quantifier: q, collection: segments, variable: variable.v, body };
      }
      segments.push(seg.v);
    }
    return { k: 'path', segments };
  }
}

export function parseFilter(text: string): FilterExpr {
  return new Parser(lexFilter(text), text).parse();
}
