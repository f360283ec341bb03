/** Injection tokens of the worker. */
export const RUNTIME = Symbol('Runtime');
export const PLAN_SETTINGS = Symbol('PlanSettings');
