// The page every webview panel starts from: a strict Content-Security-Policy (nothing loads but the
// extension's own script, with a fresh nonce, and its own stylesheet; no inline script or style) and
// the panel's bundle from dist/webview.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** What a panel's webview may read from the extension: its bundles and styles, nothing else. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function webviewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  /** `bundledStyles`: stylesheets of bundled libraries, copied into dist/webview by the build (uPlot's). */
  page: { script: string; style: string; body: string; bundledStyles?: string[] },
): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', page.script));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', page.style));
  const bundled = (page.bundledStyles ?? []).map(
    (name) => `<link rel="stylesheet" href="${webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name))}">\n`,
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; img-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${bundled.join('')}<link rel="stylesheet" href="${style}">
</head>
<body>
${page.body}
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
