/**
 * Binds a parsed $filter to an entity schema: property names are resolved (case-insensitively,
 * to their canonical spelling), lambda variables are scoped, and operand types are checked the
 * way OData does, with OData's messages ("A binary operator with incompatible types was
 * detected..."). The bound tree is what the evaluator runs.
 */
import { GraphError, GraphErrors } from '../errors.ts';
import type { CompareOp, FilterExpr, LiteralType } from './filter-parser.ts';
import { edmName, findProperty, unknownPropertyError, type EntitySchema, type PropType } from './schema.ts';

export type BoundExpr =
  | { k: 'logic'; op: 'and' | 'or'; left: BoundExpr; right: BoundExpr }
  | { k: 'not'; expr: BoundExpr }
  | { k: 'compare'; op: CompareOp; left: BoundExpr; right: BoundExpr }
  | { k: 'call'; fn: string; args: BoundExpr[] }
  | { k: 'literal'; type: LiteralType; value: string | number | boolean | null }
  /** `root` is a lambda variable, or null for the entity itself. */
  | { k: 'path'; root: string | null; names: string[]; type: PropType }
  | { k: 'lambda'; quantifier: 'any' | 'all'; root: string | null; names: string[]; variable?: string; body?: BoundExpr };

type Scope = Map<string, PropType>;

const OPERATOR_KIND: Record<CompareOp, string> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
};

type ExprType = PropType | { kind: LiteralType };

function typeOf(e: BoundExpr): ExprType {
  switch (e.k) {
    case 'path':
      return e.type;
    case 'literal':
      return { kind: e.type };
    case 'call':
      return e.fn === 'length' ? { kind: 'number' } : ['tolower', 'toupper', 'trim'].includes(e.fn) ? { kind: 'string' } : { kind: 'boolean' };
    default:
      return { kind: 'boolean' };
  }
}

const isTextual = (t: ExprType) => t.kind === 'string' || t.kind === 'enum' || t.kind === 'open' || t.kind === 'guid';
const isBoolean = (t: ExprType) => t.kind === 'boolean' || t.kind === 'open';

function compatible(a: ExprType, b: ExprType): boolean {
  if (a.kind === 'null' || b.kind === 'null' || a.kind === 'open' || b.kind === 'open') return true;
  if (isTextual(a) && isTextual(b)) return true;
  // Dates compare with date literals, and leniently with quoted ISO strings.
  if (a.kind === 'datetime' || b.kind === 'datetime') return (a.kind === 'datetime' || a.kind === 'string') && (b.kind === 'datetime' || b.kind === 'string');
  return a.kind === b.kind;
}

function edm(t: ExprType): string {
  switch (t.kind) {
    case 'null':
      return 'null';
    case 'guid':
      return 'Edm.Guid';
    default:
      return edmName(t as PropType);
  }
}

class Binder {
  constructor(private readonly schema: EntitySchema) {}

  bind(e: FilterExpr, scope: Scope): BoundExpr {
    switch (e.k) {
      case 'logic': {
        const left = this.boolean(this.bind(e.left, scope));
        const right = this.boolean(this.bind(e.right, scope));
        return { k: 'logic', op: e.op, left, right };
      }
      case 'not':
        return { k: 'not', expr: this.boolean(this.bind(e.expr, scope)) };
      case 'compare': {
        const left = this.bind(e.left, scope);
        const right = this.bind(e.right, scope);
        const lt = typeOf(left);
        const rt = typeOf(right);
        if (lt.kind === 'complex' || lt.kind === 'collection' || rt.kind === 'complex' || rt.kind === 'collection' || !compatible(lt, rt)) {
          throw GraphErrors.invalidFilter(
            `A binary operator with incompatible types was detected. Found operand types '${edm(lt)}' and '${edm(rt)}' for operator kind '${OPERATOR_KIND[e.op]}'.`,
          );
        }
        return { k: 'compare', op: e.op, left, right };
      }
      case 'call': {
        const args = e.args.map((a) => this.bind(a, scope));
        const arity = ['contains', 'startswith', 'endswith'].includes(e.fn) ? 2 : 1;
        if (args.length !== arity || !args.every((a) => isTextual(typeOf(a)))) {
          throw GraphErrors.invalidFilter(`No function signature for the function with name '${e.fn}' matches the specified arguments.`);
        }
        return { k: 'call', fn: e.fn, args };
      }
      case 'literal':
        return e;
      case 'path': {
        const { root, names, type } = this.resolvePath(e.segments, scope);
        return { k: 'path', root, names, type };
      }
      case 'lambda': {
        const { root, names, type } = this.resolvePath(e.collection, scope);
        if (type.kind !== 'collection' && type.kind !== 'open') {
          throw GraphErrors.invalidFilter(`The '${e.quantifier}' function can only be applied to a collection; '${names.join('/')}' is not one.`);
        }
        if (!e.variable || !e.body) return { k: 'lambda', quantifier: e.quantifier, root, names };
        const inner = new Map(scope);
        inner.set(e.variable, type.kind === 'collection' ? type.of : type);
        const body = this.boolean(this.bind(e.body, inner));
        return { k: 'lambda', quantifier: e.quantifier, root, names, variable: e.variable, body };
      }
    }
  }

  private boolean(e: BoundExpr): BoundExpr {
    if (!isBoolean(typeOf(e))) throw GraphErrors.invalidFilter(`The expression of type '${edm(typeOf(e))}' is not a boolean.`);
    return e;
  }

  private resolvePath(segments: string[], scope: Scope): { root: string | null; names: string[]; type: PropType } {
    const first = segments[0]!;
    let root: string | null = null;
    let type: PropType;
    let rest = segments;
    if (scope.has(first)) {
      root = first;
      type = scope.get(first)!;
      rest = segments.slice(1);
    } else {
      type = { kind: 'complex', name: this.schema.typeName, props: this.schema.props };
    }
    const names: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const seg = rest[i]!;
      if (type.kind === 'open') {
        names.push(seg);
        continue;
      }
      if (type.kind === 'collection') {
        throw GraphErrors.invalidFilter(
          `The parent value for a property access of a property '${seg}' is not a single value. Property access can only be applied to a single value.`,
        );
      }
      if (type.kind !== 'complex') throw GraphErrors.invalidFilter(`'${names.join('/')}' has no property '${seg}'.`);
      const found = findProperty(type.props, seg);
      if (!found) {
        if (root === null && i === 0) throw this.unknown(seg);
        throw GraphErrors.invalidFilter(`Could not find a property named '${seg}' on type '${type.name}'.`);
      }
      names.push(found[0]);
      type = found[1];
    }
    return { root, names, type };
  }

  private unknown(name: string): GraphError {
    return unknownPropertyError(this.schema, name);
  }
}

export function bindFilter(e: FilterExpr, schema: EntitySchema): BoundExpr {
  const binder = new Binder(schema);
  const bound = binder.bind(e, new Map());
  if (!isBoolean(typeOf(bound))) throw GraphErrors.invalidFilter(`The $filter expression must evaluate to a single boolean value.`);
  return bound;
}

/** Entity property paths in the order the filter mentions them (for Outlook's InefficientFilter rule). */
export function filterProperties(e: BoundExpr): string[] {
  const out: string[] = [];
  const visit = (x: BoundExpr) => {
    switch (x.k) {
      case 'logic':
        visit(x.left);
        visit(x.right);
        return;
      case 'not':
        visit(x.expr);
        return;
      case 'compare':
        visit(x.left);
        visit(x.right);
        return;
      case 'call':
        x.args.forEach(visit);
        return;
      case 'path':
      case 'lambda': {
        if (x.root !== null) return;
        const p = x.names.join('/').toLowerCase();
        if (!out.includes(p)) out.push(p);
        return;
      }
      default:
        return;
    }
  };
  visit(e);
  return out;
}
