import { flat } from 'adminjs';

/** AdminJS's `flat` helpers (form params as `a.b.0` keys), typed: its own types do not resolve here. */
export const flatParams = flat as unknown as {
  flatten(nested: object): Record<string, unknown>;
  unflatten(params: object): Record<string, unknown>;
};
