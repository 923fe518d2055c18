/** Why a pattern was refused, and where: `path` names the offending part, e.g. `detail.size[0].numeric`. */
export class PatternError extends Error {
  readonly path: string;
  constructor(message: string, path: string) {
    super(path ? `${message} (at ${path})` : message);
    this.name = 'PatternError';
    this.path = path;
  }
}

/** Path text as used in PatternError: object keys joined with `.`, array positions as `[i]`. */
export function childPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}
