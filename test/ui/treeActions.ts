// Acting on a tree item as a user does in the UI tests: its context menu, with no hover in the way.
import type { Locator, Page } from 'playwright-core';

/** Runs `action` from the context menu of `row`. */
export async function contextMenu(page: Page, row: Locator, action: string): Promise<void> {
  await noHover(page);
  await row.click({ button: 'right' });
  // Hovering focuses the menu item, Enter runs it (a click right after the menu opens may be taken
  // for the end of the right-click and ignored).
  await page.locator('.context-view .action-label', { hasText: action }).hover({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** A tree item's hover (opened by the pointer resting on the view) would take clicks and hide the view. */
export async function noHover(page: Page): Promise<void> {
  // An empty stretch of the title bar: the middle (640, 10) is the command center, whose own hover
  // ("Search <workspace>") would never hide.
  const { width } = page.viewportSize() ?? { width: 1280 };
  await page.mouse.move(width - 250, 10);
  await page.locator('.monaco-hover').waitFor({ state: 'hidden', timeout: 5_000 });
}
