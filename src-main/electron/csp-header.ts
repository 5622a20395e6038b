/** Response headers with any CSP the response brought replaced by ours. */
export function withCspHeader(headers: Record<string, string[]> | undefined, policy: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === "content-security-policy" || lower === "content-security-policy-report-only") continue;
    result[name] = value;
  }
  result["Content-Security-Policy"] = [policy];
  return result;
}
