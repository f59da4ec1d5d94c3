// Keeps credentials out of everything the extension shows or logs. Failures themselves are
// classified in one place, src/failures/classify.ts.

/** Keeps anything shaped like an access key or a secret out of what is shown or logged. */
export function redact(text: string): string {
  return text
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '$1****************')
    .replace(/(aws_secret_access_key|secretAccessKey|X-Amz-Signature|Signature)(["'=:\s]+)[A-Za-z0-9/+=]{16,}/gi, '$1$2****');
}
