import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IExecuteSingleFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { credentialType, forgetItemCredentials } from './credentials';
import type { Execute } from './operation';

/**
 * Running a programmatic operation item by item, the way n8n runs a declarative one: each input
 * item gets its own view of the node's context, its output is paired with it, and with Continue On
 * Fail a failed item is output as its error while the other items still run.
 */

/**
 * The node's context as one item sees it: the per-item calls of n8n's ExecuteSingleContext (a
 * parameter, the credential and the input of this item), everything else the node's context
 * itself. So the code every operation shares (apiRequest, pathId, the location, the errors) reads
 * an item of a programmatic operation exactly as it reads one of a declarative operation.
 */
export function itemView(context: IExecuteFunctions, itemIndex: number): IExecuteSingleFunctions {
	const view = Object.create(context) as IExecuteFunctions & Record<string, unknown>;
	Object.assign(view, {
		getItemIndex: () => itemIndex,
		getNodeParameter: (name: string, fallback?: unknown, options?: IDataObject) =>
			context.getNodeParameter(name, itemIndex, fallback, options),
		getCredentials: async (type: string): Promise<ICredentialDataDecryptedObject> => await context.getCredentials(type, itemIndex),
		getInputData: (inputIndex = 0) => context.getInputData(inputIndex)[itemIndex],
		evaluateExpression: (expression: string, index = itemIndex) => context.evaluateExpression(expression, index),
	});
	return view as unknown as IExecuteSingleFunctions;
}

/** What one item's run gives: its output's JSON. */
export type ItemRun = (this: IExecuteSingleFunctions) => Promise<IDataObject>;

/** A programmatic operation that runs `run` for each input item, one after another, on one output. */
export function perItem(run: ItemRun): Execute {
	return async function (this: IExecuteFunctions) {
		const output: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const pairedItem = { item: itemIndex };
			const view = itemView(this, itemIndex);
			try {
				output.push({ json: await run.call(view), pairedItem });
			} catch (error) {
				const failure =
					error instanceof NodeOperationError || (error as { name?: string }).name === 'NodeApiError'
						? (error as NodeOperationError)
						: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
				// As n8n's routing does: the item carries the error, n8n writes its message as the JSON.
				if (this.continueOnFail()) output.push({ json: { error: failure.message }, error: failure, pairedItem });
				else throw failure;
			} finally {
				// The item's credential read is kept while its requests run (credentials.ts), then let go.
				forgetItemCredentials.call(view, credentialType.call(view));
			}
		}
		return [output];
	};
}
