// A tree view's rows drawn as soon as its children arrive the first time it is shown in a window.
import * as vscode from 'vscode';

/**
 * The workbench (VS Code 1.100) makes a view's tree the first time the view is shown, after it has
 * laid out the view's pane, and lays the tree out only 2 s later (when it next updates the view's
 * message): until then the tree draws no rows, however soon its children arrive, so a view first
 * expanded in a window stayed empty for 2 s. Setting the message (still none) makes the workbench lay
 * the tree out at once. It must go before anything else the view sends then: the extension host sends
 * a view's first update at once and holds the next ones back for 200 ms.
 */
export function layOutWhenFirstShown(view: vscode.TreeView<unknown>): vscode.Disposable {
  if (view.visible) return { dispose: () => undefined };
  const listener = view.onDidChangeVisibility(({ visible }) => {
    if (!visible) return;
    listener.dispose();
    view.message = view.message ?? '';
  });
  return listener;
}
