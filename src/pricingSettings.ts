// The user's instance prices (setting `sagemaker.cost.pricePerHour`), read where costs are shown.
import * as vscode from 'vscode';
import { parsePriceOverrides, type PriceOverrides } from './pipeline/pricing';

export const PRICE_SETTING = 'sagemaker.cost.pricePerHour';

export function priceOverrides(): PriceOverrides {
  return parsePriceOverrides(vscode.workspace.getConfiguration().get(PRICE_SETTING));
}
