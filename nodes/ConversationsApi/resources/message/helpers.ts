import type { IExecuteSingleFunctions, INodeExecutionData } from 'n8n-workflow';

export const showFor = (operation: string) => ({ operation: [operation], resource: ['message'] });

/** postReceive: an answer without a JSON body (e.g. 200 with no content) becomes `{ success: true }`. */
export async function successOnEmpty(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return items.map((item) =>
		typeof item.json === 'object' && item.json !== null && !Array.isArray(item.json)
			? item
			: { ...item, json: { success: true } },
	);
}
