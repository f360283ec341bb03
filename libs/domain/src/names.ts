/** Names accepted by the API (reference §7): word characters, `-` and `.`, at most 255. */
export const API_NAME_PATTERN = /^[\w\-.]+$/;

/** Secret names: the API pattern, except `.` and `..`, which cannot travel in a URL path. */
export const SECRET_NAME_PATTERN = /^(?!\.{1,2}$)[\w\-.]+$/;
export const API_NAME_MAX_LENGTH = 255;

/** The entity store's stricter pattern, used for routable model entity names. */
export const ENTITY_NAME_PATTERN = /^[a-z](?!.*--)[a-z0-9\-@.+_]{1,62}(?<!-)$/;

/** A `workspace/name` reference (model_entity_id), in every character a name may hold. */
export const ENTITY_REF_PATTERN = /^[\w\-.@+]+\/[\w\-.@+]+$/;

/** `name` or `workspace/name` (a deployment's config). */
export const OPTIONAL_WORKSPACE_REF_PATTERN = /^([\w\-.@+]+\/)?[\w\-.@+]+$/;

/** `project` values. */
export const PROJECT_PATTERN = /^[\w\-./]+$/;

export function isApiName(value: string): boolean {
  return value.length <= API_NAME_MAX_LENGTH && API_NAME_PATTERN.test(value);
}

/** Splits `ws/name` into its parts; a bare `name` belongs to `defaultWorkspace`. */
export function splitRef(ref: string, defaultWorkspace: string): { workspace: string; name: string } {
  const slash = ref.indexOf('/');
  if (slash < 0) return { workspace: defaultWorkspace, name: ref };
  return { workspace: ref.slice(0, slash), name: ref.slice(slash + 1) };
}

export function joinRef(workspace: string, name: string): string {
  return `${workspace}/${name}`;
}
