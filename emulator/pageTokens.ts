// Opaque pagination tokens (S3 continuation tokens, SageMaker NextToken): the position after which the
// next page starts, tagged with what it pages so a token from one listing is refused by another.

export function encodePageToken(listing: string, position: readonly string[]): string {
  return Buffer.from(JSON.stringify([listing, ...position])).toString('base64url');
}

/** The position a token encodes, or undefined if it is not a token of this listing. */
export function decodePageToken(listing: string, token: string): string[] | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded[0] !== listing || !decoded.every((part) => typeof part === 'string')) return undefined;
    return decoded.slice(1) as string[];
  } catch {
    return undefined;
  }
}
