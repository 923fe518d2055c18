/**
 * Alternatives compiled into trees that walk the event once per alternative. Array consistency (event-ruler's
 * `rulesForJSONEvent`): the fields under one pattern object are all taken from the same element when the
 * event holds an array of objects there, so fields from different elements never combine.
 */
import type { Scalar } from './conditions';
import { compileLeaf, type LeafMatcher } from './leaf-matcher';
import type { Alternative } from './structure';

interface Node {
  leaf?: { matcher: LeafMatcher; path: readonly string[] };
  children: Array<[string, Node]>;
}

const hasOwn = Object.prototype.hasOwnProperty;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function field(obj: Record<string, unknown> | undefined, key: string): unknown {
  return obj !== undefined && hasOwn.call(obj, key) ? obj[key] : undefined;
}

function buildTree(alternative: Alternative): Node {
  const root: Node = { children: [] };
  for (const leaf of alternative.values()) {
    let node = root;
    for (const key of leaf.path) {
      let next = node.children.find(([k]) => k === key)?.[1];
      if (!next) {
        next = { children: [] };
        node.children.push([key, next]);
      }
      node = next;
    }
    node.leaf = { matcher: compileLeaf(leaf.conditions), path: leaf.path };
  }
  return root;
}

/** Does some scalar inside `value` (arrays flattened, objects skipped) satisfy the leaf? */
function someScalar(matcher: LeafMatcher, value: unknown): boolean {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (someScalar(matcher, value[i])) return true;
    return false;
  }
  if (value === undefined || (value !== null && typeof value === 'object')) return false;
  return matcher.anyValue || matcher.matchesValue(value as Scalar);
}

function hasScalar(value: unknown): boolean {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasScalar(value[i])) return true;
    return false;
  }
  return value !== undefined && (value === null || typeof value !== 'object');
}

/** Is there a leaf value at `path` anywhere in the event (through every array element)? */
function presentAnywhere(value: unknown, path: readonly string[], depth: number): boolean {
  if (depth === path.length) return hasScalar(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (presentAnywhere(value[i], path, depth)) return true;
    return false;
  }
  if (!isObject(value)) return false;
  return presentAnywhere(field(value, path[depth]!), path, depth + 1);
}

function leafHolds(leaf: NonNullable<Node['leaf']>, value: unknown, root: unknown): boolean {
  if (someScalar(leaf.matcher, value)) return true;
  // exists:false means the field is nowhere in the event, not merely missing from this array element.
  return leaf.matcher.allowsAbsent && !presentAnywhere(root, leaf.path, 0);
}

function childrenHold(node: Node, obj: Record<string, unknown> | undefined, root: unknown): boolean {
  const children = node.children;
  for (let i = 0; i < children.length; i++) {
    const [key, child] = children[i]!;
    if (!nodeHolds(child, field(obj, key), root)) return false;
  }
  return true;
}

const NO_OBJECTS = -1;
const NO_MATCH = 0;
const MATCH = 1;

function childrenHoldInArray(node: Node, array: readonly unknown[], root: unknown): number {
  let result = NO_OBJECTS;
  for (let i = 0; i < array.length; i++) {
    const element = array[i];
    if (Array.isArray(element)) {
      const inner = childrenHoldInArray(node, element, root);
      if (inner === MATCH) return MATCH;
      if (inner === NO_MATCH) result = NO_MATCH;
    } else if (isObject(element)) {
      if (childrenHold(node, element, root)) return MATCH;
      result = NO_MATCH;
    }
  }
  return result;
}

function nodeHolds(node: Node, value: unknown, root: unknown): boolean {
  if (node.leaf && !leafHolds(node.leaf, value, root)) return false;
  if (node.children.length === 0) return true;
  if (Array.isArray(value)) {
    const result = childrenHoldInArray(node, value, root);
    // An array without objects holds none of the fields below: they are absent.
    return result === MATCH || (result === NO_OBJECTS && childrenHold(node, undefined, root));
  }
  return childrenHold(node, isObject(value) ? value : undefined, root);
}

export type EventMatcher = (event: unknown) => boolean;

export function compileMatcher(alternatives: readonly Alternative[]): EventMatcher {
  const trees = alternatives.map(buildTree);
  return (event) => {
    if (!isObject(event)) return false;
    for (let i = 0; i < trees.length; i++) if (nodeHolds(trees[i]!, event, event)) return true;
    return false;
  };
}
