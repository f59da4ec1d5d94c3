// Orders a table's records are listed in, kept by the store as its records change, so that a page of
// a large table costs what a page costs: per order and partition, a B+ tree from sort key to record,
// built the first time the order is read and then updated with every change (and every change taken
// back) — a page is a walk from the token's position, not a pass over every record.
import BTree from 'sorted-btree';

/** Compared element by element (strings by code unit, as AWS sorts names "ASCII-sorted"). */
export type SortKey = readonly (string | number)[];

export function compareKeys(a: SortKey, b: SortKey): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    if (a[index] < b[index]) return -1;
    if (a[index] > b[index]) return 1;
  }
  return a.length - b.length;
}

/** An order of the records of one table; its key should end with the record's name to be unique. */
export interface Order<T extends object> {
  readonly table: string;
  readonly keyOf: (record: T) => SortKey;
}

export function defineOrder<T extends object>(table: { readonly name: string; readonly recordType?: T }, keyOf: (record: T) => SortKey): Order<T> {
  return { table: table.name, keyOf };
}

/** A record in an order, with its sort key. */
export interface Ordered<T> {
  key: SortKey;
  record: T;
}

/**
 * The trees, by table, order and partition. A tree's key is the order's key followed by the record's
 * store key, so two records with equal order keys never take each other's place.
 */
export class OrderedIndexes {
  private readonly byTable = new Map<string, Map<Order<object>, Map<string, BTree<SortKey, Ordered<object>>>>>();

  /** The records of `partition` in `order` after `after` (before it when descending), building the tree on first use. */
  *walk<T extends object>(order: Order<T>, partition: string, records: ReadonlyMap<string, object> | undefined, descending: boolean, after?: SortKey): Iterable<Ordered<T>> {
    const tree = this.tree(order as Order<object>, partition, records);
    const entries = descending ? tree.entriesReversed(after) : tree.entries(after);
    for (const [, ordered] of entries) {
      const beyond = after === undefined || (descending ? compareKeys(ordered.key, after) < 0 : compareKeys(ordered.key, after) > 0);
      if (beyond) yield ordered as Ordered<T>;
    }
  }

  /** Keeps the built trees of the record's table and partition in step with one change. */
  changed(table: string, partition: string, key: string, before: object | undefined, after: object | undefined): void {
    const orders = this.byTable.get(table);
    if (!orders) return;
    for (const [order, partitions] of orders) {
      const tree = partitions.get(partition);
      if (!tree) continue;
      if (before !== undefined) tree.delete([...order.keyOf(before), key]);
      if (after !== undefined) tree.set([...order.keyOf(after), key], { key: order.keyOf(after), record: after });
    }
  }

  private tree(order: Order<object>, partition: string, records: ReadonlyMap<string, object> | undefined): BTree<SortKey, Ordered<object>> {
    let orders = this.byTable.get(order.table);
    if (!orders) this.byTable.set(order.table, (orders = new Map()));
    let partitions = orders.get(order);
    if (!partitions) orders.set(order, (partitions = new Map()));
    let tree = partitions.get(partition);
    if (!tree) {
      tree = new BTree<SortKey, Ordered<object>>(undefined, compareKeys);
      for (const [key, record] of records ?? []) {
        const orderKey = order.keyOf(record);
        tree.set([...orderKey, key], { key: orderKey, record });
      }
      partitions.set(partition, tree);
    }
    return tree;
  }
}
