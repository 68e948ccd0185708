// KOMOJU error body — komoju/komoju-node-sdk docs/Models/APIError.md and APIErrorBody.md (ad4cd39).
export const errorModel = {
  error: {
    code: 'invalid_parameter', // SDK APIErrorBody.code: machine-readable
    message: 'The parameter (amount) is invalid', // SDK APIErrorBody.message: human-readable
    param: 'amount' as string | null, // SDK APIErrorBody.param: the parameter, if applicable
    details: {} as Record<string, unknown>, // SDK APIErrorBody.details: Object
  },
};

/**
 * Idempotency (X-KOMOJU-IDEMPOTENCY, POST only; shared/reference/komoju.md and KOMOJU's API
 * overview): a repeated key answers the first request's result without acting again; a duplicate
 * while the first is still running answers 409; keys are kept 24 h. KOMOJU does NOT document what
 * a different body under a used key gets: the fake answers 422 `idempotency_key_reused` (our
 * choice, so a test notices a key derived from changing state); the client treats it as refused.
 */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
