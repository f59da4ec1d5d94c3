// Keeps credentials out of everything the extension shows or logs. Failures themselves are
// classified in one place, src/failures/classify.ts.

/**
 * What follows a name and separates it from its value: `name=v`, `name: v`, `"name": "v"` (an `=` or
 * a `:` is needed, so that AWS's own wording, "Signature expired", stays as it is).
 */
const SEPARATOR = String.raw`(["']?\s*[=:]\s*["']?)`;
/** Secrets, session tokens and signatures in any of the shapes they appear in: ini, env, JSON, query strings, headers. */
const SECRET = new RegExp(
  String.raw`(secret[_-]?access[_-]?key|session[_-]?token|security[_-]?token|signature)${SEPARATOR}[A-Za-z0-9/+=%_.\-]{16,}`,
  'gi',
);
/** A credential scope names its access key id: `X-Amz-Credential=AKID%2F20240101%2F…`, `Credential=AKID/…`, SigV2's `AWSAccessKeyId=`. */
const CREDENTIAL = new RegExp(String.raw`(credential|awsaccesskeyid)${SEPARATOR}[^\s&"',;]+`, 'gi');

/** Keeps anything shaped like an access key, a secret, a session token or a signed credential out of what is shown or logged. */
export function redact(text: string): string {
  return text
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '$1****************')
    .replace(SECRET, '$1$2****')
    .replace(CREDENTIAL, '$1$2****');
}
