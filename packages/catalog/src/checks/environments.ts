// Environment checks: the selecting field exists, the default is an option, and every option
// defines the same value names (a template using {environment.x} must work in every cloud).
import type { Checks } from './context.ts';

export function checkEnvironments(c: Checks): void {
  const env = c.def.environments;
  if (!env) return;
  if (!c.connectorFields.has(env.field)) {
    c.fail('/environments/field', 'unknown-field', `"${env.field}" is not a connector-level field`);
  }
  const keys = new Set<string>();
  env.options.forEach((option, i) => {
    if (keys.has(option.key)) c.fail(`/environments/options/${i}/key`, 'duplicate-key', `environment "${option.key}" appears twice`);
    keys.add(option.key);
  });
  if (!keys.has(env.default)) {
    c.fail('/environments/default', 'unknown-environment', `"${env.default}" is not an environment option (${[...keys].join(', ')})`);
  }
  const all = new Set(env.options.flatMap((o) => Object.keys(o.values)));
  env.options.forEach((option, i) => {
    const missing = [...all].filter((name) => !Object.hasOwn(option.values, name));
    if (missing.length) {
      c.fail(`/environments/options/${i}/values`, 'environment-values', `environment "${option.key}" does not define ${missing.join(', ')}, which other environments define`);
    }
  });
}
