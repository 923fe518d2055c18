/** Least-privilege checks shared by the template, policy and stack tests. */

export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export function statementsOf(doc: unknown): Statement[] {
  const statements = (doc as { Statement?: unknown }).Statement;
  if (!Array.isArray(statements)) throw new Error(`not a policy document: ${JSON.stringify(doc)}`);
  return statements as Statement[];
}

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** Allow statements must name their actions: no `*`, no `service:*`, no `service:Get*`. */
export function wildcardActions(doc: unknown): string[] {
  return statementsOf(doc)
    .filter((s) => s.Effect === 'Allow')
    .flatMap(actionsOf)
    .filter((a) => a.includes('*'));
}

/** Allow statements whose resource is exactly `*`. */
export function starResources(doc: unknown): Statement[] {
  return statementsOf(doc).filter((s) => {
    if (s.Effect !== 'Allow') return false;
    const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
    return resources.includes('*');
  });
}
