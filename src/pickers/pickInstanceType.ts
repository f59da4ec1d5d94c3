// An ml.* instance type, each offered with its on-demand price per hour in the region (or "price
// unknown"), so what a choice costs is seen before it is made. Any other type can be typed in.
import * as vscode from 'vscode';
import { formatCost, hourlyCost } from '../pipeline/pricing';
import { priceOverrides } from '../pricingSettings';

const INSTANCE_TYPE = /^ml\.[a-z0-9-]+\.[a-z0-9]+$/;

export function pickInstanceType(options: { title: string; types: readonly string[]; region: string }): Promise<string | undefined> {
  const price = (type: string) => formatCost(hourlyCost([{ instanceType: type, count: 1 }], options.region, priceOverrides()));
  const listed = options.types.map((type) => ({ label: type, description: price(type) }));
  const pick = vscode.window.createQuickPick();
  pick.title = options.title;
  pick.placeholder = `On-demand price per instance in ${options.region} (or type a type, e.g. ml.g5.4xlarge)`;
  pick.items = listed;
  return new Promise<string | undefined>((resolve) => {
    pick.onDidChangeValue((value) => {
      const typed = value.trim();
      pick.items = INSTANCE_TYPE.test(typed) && !options.types.includes(typed) ? [{ label: typed, description: price(typed), alwaysShow: true }, ...listed] : listed;
    });
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.label);
      pick.hide();
    });
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  }).finally(() => pick.dispose());
}
