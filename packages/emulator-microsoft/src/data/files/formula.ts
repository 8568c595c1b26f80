/**
 * A small Excel formula evaluator, so a connector that writes `=SUM(A1:A3)` reads back a number
 * as it would from Excel Online. It knows literals, cell and range references (also on other
 * sheets), arithmetic, `&`, comparisons and a handful of common functions; anything else
 * evaluates to `#NAME?`, as Excel shows for an unknown function.
 */
import { columnIndex } from './a1.ts';

export class FormulaError {
  constructor(readonly code: '#NAME?' | '#VALUE!' | '#DIV/0!' | '#REF!' | '#N/A' | '#NUM!') {}
}

export type Scalar = string | number | boolean | FormulaError;
type Value = Scalar | Scalar[];

export interface FormulaContext {
  /** The evaluated value of a cell ('' when empty), or #REF! for an unknown sheet. */
  cell(sheet: string | undefined, row: number, column: number): Scalar;
}

type Tok = { t: 'num'; v: number } | { t: 'str'; v: string } | { t: 'ref'; sheet?: string; a: string; b?: string } | { t: 'fn'; v: string } | { t: 'op'; v: string } | { t: 'bool'; v: boolean };

const REF = String.raw`\$?[A-Za-z]{1,3}\$?\d+`;
const TOKEN = new RegExp(
  String.raw`\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|"((?:[^"]|"")*)"|((?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?(${REF})(?::(${REF}))?|([A-Za-z_][\w.]*)\s*\(|(TRUE|FALSE)\b|(<>|<=|>=|[-+*/^&=<>(),]))`,
  'y',
);

function tokenize(text: string): Tok[] | undefined {
  const out: Tok[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(text);
    if (!m) return undefined;
    if (m[1] !== undefined) out.push({ t: 'num', v: Number(m[1]) });
    else if (m[2] !== undefined) out.push({ t: 'str', v: m[2].replace(/""/g, '"') });
    else if (m[4] !== undefined) {
      const sheet = m[3]?.slice(0, -1).replace(/^'(.*)'$/, '$1').replace(/''/g, "'");
      out.push({ t: 'ref', ...(sheet ? { sheet } : {}), a: m[4], ...(m[5] ? { b: m[5] } : {}) });
    } else if (m[6] !== undefined) out.push({ t: 'fn', v: m[6].toUpperCase() });
    else if (m[7] !== undefined) out.push({ t: 'bool', v: m[7] === 'TRUE' });
    else out.push({ t: 'op', v: m[8]! });
  }
  return out;
}

const isError = (v: unknown): v is FormulaError => v instanceof FormulaError;

function toNumber(v: Scalar): number | FormulaError {
  if (isError(v)) return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === '') return 0;
  const n = Number(v);
  return Number.isFinite(n) ? n : new FormulaError('#VALUE!');
}

const toText = (v: Scalar): string => (isError(v) ? v.code : typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v));

const flat = (args: Value[]): Scalar[] => args.flatMap((a) => (Array.isArray(a) ? a : [a]));
const numbersIn = (args: Value[]): number[] => flat(args).filter((v): v is number => typeof v === 'number');

const FUNCTIONS: Record<string, (args: Value[]) => Scalar> = {
  SUM: (a) => numbersIn(a).reduce((s, n) => s + n, 0),
  AVERAGE: (a) => {
    const n = numbersIn(a);
    return n.length ? n.reduce((s, x) => s + x, 0) / n.length : new FormulaError('#DIV/0!');
  },
  MIN: (a) => (numbersIn(a).length ? Math.min(...numbersIn(a)) : 0),
  MAX: (a) => (numbersIn(a).length ? Math.max(...numbersIn(a)) : 0),
  COUNT: (a) => numbersIn(a).length,
  COUNTA: (a) => flat(a).filter((v) => v !== '').length,
  ABS: (a) => {
    const n = toNumber(flat(a)[0] ?? 0);
    return isError(n) ? n : Math.abs(n);
  },
  ROUND: (a) => {
    const [x, d] = flat(a).map(toNumber);
    if (isError(x) || isError(d)) return new FormulaError('#VALUE!');
    const f = 10 ** (d ?? 0);
    return Math.round((x ?? 0) * f) / f;
  },
  IF: (a) => {
    const [cond, yes = true, no = false] = a.map((v) => (Array.isArray(v) ? (v[0] ?? '') : v));
    if (isError(cond!)) return cond!;
    return cond ? yes : no;
  },
  CONCATENATE: (a) => flat(a).map(toText).join(''),
  LEN: (a) => toText(flat(a)[0] ?? '').length,
  UPPER: (a) => toText(flat(a)[0] ?? '').toUpperCase(),
  LOWER: (a) => toText(flat(a)[0] ?? '').toLowerCase(),
};

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly ctx: FormulaContext,
  ) {}

  parse(): Value {
    const v = this.comparison();
    if (this.i < this.toks.length) throw new Error('trailing tokens');
    return v;
  }

  private peekOp(...ops: string[]): string | undefined {
    const t = this.toks[this.i];
    return t?.t === 'op' && ops.includes(t.v) ? t.v : undefined;
  }

  private comparison(): Value {
    let left = this.concat();
    for (let op = this.peekOp('=', '<>', '<', '>', '<=', '>='); op; op = this.peekOp('=', '<>', '<', '>', '<=', '>=')) {
      this.i++;
      const right = this.concat();
      left = compare(scalar(left), scalar(right), op);
    }
    return left;
  }

  private concat(): Value {
    let left = this.additive();
    while (this.peekOp('&')) {
      this.i++;
      const right = scalar(this.additive());
      const l = scalar(left);
      left = isError(l) ? l : isError(right) ? right : toText(l) + toText(right);
    }
    return left;
  }

  private arithmetic(next: () => Value, ops: string[]): Value {
    let left = next();
    for (let op = this.peekOp(...ops); op; op = this.peekOp(...ops)) {
      this.i++;
      const a = toNumber(scalar(left));
      const b = toNumber(scalar(next()));
      if (isError(a)) left = a;
      else if (isError(b)) left = b;
      else if (op === '/' && b === 0) left = new FormulaError('#DIV/0!');
      else left = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : a ** b;
    }
    return left;
  }

  private additive(): Value {
    return this.arithmetic(() => this.multiplicative(), ['+', '-']);
  }

  private multiplicative(): Value {
    return this.arithmetic(() => this.power(), ['*', '/']);
  }

  private power(): Value {
    return this.arithmetic(() => this.unary(), ['^']);
  }

  private unary(): Value {
    const op = this.peekOp('-', '+');
    if (!op) return this.primary();
    this.i++;
    const n = toNumber(scalar(this.unary()));
    return isError(n) ? n : op === '-' ? -n : n;
  }

  private primary(): Value {
    const t = this.toks[this.i++];
    if (!t) throw new Error('unexpected end');
    switch (t.t) {
      case 'num':
      case 'str':
      case 'bool':
        return t.v;
      case 'ref':
        return this.reference(t);
      case 'fn': {
        const args: Value[] = [];
        if (!this.peekOp(')')) {
          do {
            if (args.length > 0) this.i++;
            args.push(this.comparison());
          } while (this.peekOp(','));
        }
        if (!this.peekOp(')')) throw new Error('missing )');
        this.i++;
        const fn = FUNCTIONS[t.v];
        return fn ? fn(args) : new FormulaError('#NAME?');
      }
      case 'op': {
        if (t.v !== '(') throw new Error(`unexpected ${t.v}`);
        const v = this.comparison();
        if (!this.peekOp(')')) throw new Error('missing )');
        this.i++;
        return v;
      }
    }
  }

  private reference(t: Extract<Tok, { t: 'ref' }>): Value {
    const cell = (ref: string) => {
      const m = /^\$?([A-Za-z]+)\$?(\d+)$/.exec(ref)!;
      return { r: Number(m[2]) - 1, c: columnIndex(m[1]!) };
    };
    const a = cell(t.a);
    if (!t.b) return this.ctx.cell(t.sheet, a.r, a.c);
    const b = cell(t.b);
    const out: Scalar[] = [];
    for (let r = Math.min(a.r, b.r); r <= Math.max(a.r, b.r); r++) {
      for (let c = Math.min(a.c, b.c); c <= Math.max(a.c, b.c); c++) out.push(this.ctx.cell(t.sheet, r, c));
    }
    return out;
  }
}

function scalar(v: Value): Scalar {
  return Array.isArray(v) ? new FormulaError('#VALUE!') : v;
}

function compare(a: Scalar, b: Scalar, op: string): Scalar {
  if (isError(a)) return a;
  if (isError(b)) return b;
  const x = typeof a === 'string' ? a.toLowerCase() : a;
  const y = typeof b === 'string' ? b.toLowerCase() : b;
  switch (op) {
    case '=':
      return x === y;
    case '<>':
      return x !== y;
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    default:
      return x >= y;
  }
}

/** Evaluates `=...`; a formula the evaluator cannot parse is `#NAME?`, as in Excel. */
export function evaluateFormula(formula: string, ctx: FormulaContext): Scalar {
  const toks = tokenize(formula.replace(/^=/, ''));
  if (!toks) return new FormulaError('#NAME?');
  try {
    return scalar(new Parser(toks, ctx).parse());
  } catch {
    return new FormulaError('#NAME?');
  }
}
