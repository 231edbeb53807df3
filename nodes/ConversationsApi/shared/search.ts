import type { IDataObject } from 'n8n-workflow';

/**
 * The value a conversation search row is sorted by, which the next page's `startAfterDate` takes:
 * its `sort` (first element), else the date it was sorted by.
 */
export function searchSortValue(row: IDataObject): unknown {
	const sort = row.sort;
	if (Array.isArray(sort)) {
		if (sort.length) return sort[0];
	} else if (sort !== undefined && sort !== null) {
		return sort;
	}
	return row.lastMessageDate ?? row.dateUpdated ?? row.dateAdded;
}
