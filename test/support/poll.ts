/**
 * Runs the polling trigger the way n8n does.
 *
 * Active workflow (modes 'trigger'): n8n's ActiveWorkflowManager keeps one `Workflow` object per
 * active workflow, creates one `PollContext` for it on activation, and runs every poll with
 * `TriggersAndPollers.runPollFunction`. A poll that returns items is emitted (and the workflow's
 * static data saved to the database); one that returns null commits its cursor (saved too); one
 * that throws saves nothing. The harness does the same, with a JSON string as the database, so
 * the state a test sees is what n8n would have stored. `restart()` drops the in-memory workflow, as
 * a restart of n8n (or another queue-mode main) does: the next poll starts from the database.
 *
 * Fetch Test Event (mode 'manual') goes through `WorkflowExecute`, as the editor's test run does:
 * n8n-core calls `poll` in a manual PollContext.
 */
import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks, PollContext, TriggersAndPollers } from 'n8n-core';
import {
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type WorkflowActivateMode,
} from 'n8n-workflow';
import { ConversationsApiTrigger } from '../../nodes/ConversationsApiTrigger/ConversationsApiTrigger.node';
import { STATE_FIELD, type TriggerState } from '../../nodes/ConversationsApiTrigger/state';
import { additionalDataFor, runNode, setUpBinaryData, TestCredentialsHelper, TestNodeTypes, type CredentialData } from './engine';
import { TRIGGER_TYPE, testNode } from './nodes';

export { TRIGGER_TYPE };

export const TRIGGER_NAME = 'Conversations API Trigger';

export interface PollResult {
	/** The emitted items (empty when the poll returned null or failed). */
	items: INodeExecutionData[];
	/** What the poll returned: null is "nothing new". */
	returned?: INodeExecutionData[][] | null;
	/** The poll's error, when it failed. */
	error?: Error;
}

export class TriggerHarness {
	/** The workflow's static data as n8n's database holds it. */
	database = '{}';
	/** How many times the static data was saved. */
	saves = 0;
	private workflow?: Workflow;
	private context?: PollContext;
	private readonly nodeType = new ConversationsApiTrigger();

	constructor(
		private readonly options: {
			parameters: INodeParameters;
			credentials: CredentialData;
			/** How the workflow became active (n8n: 'activate' when a user activates it, 'init' on start). */
			activation?: WorkflowActivateMode;
			/** The workflow's time zone setting. */
			timezone?: string;
		},
	) {}

	private node(): INode {
		return testNode({
			id: 'trigger-1',
			name: TRIGGER_NAME,
			type: TRIGGER_TYPE,
			parameters: this.options.parameters,
			credentialType: Object.keys(this.options.credentials)[0],
		});
	}

	private activate(): { workflow: Workflow; context: PollContext; node: INode } {
		const node = this.node();
		const workflow = new Workflow({
			id: 'trigger-workflow',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes: new TestNodeTypes({ [TRIGGER_TYPE]: this.nodeType }),
			staticData: JSON.parse(this.database) as IDataObject,
			settings: this.options.timezone ? { timezone: this.options.timezone } : undefined,
		});
		const hooks = new ExecutionLifecycleHooks('trigger', 'poll', {} as never);
		const additionalData = additionalDataFor(hooks, new TestCredentialsHelper({ ...this.options.credentials }));
		const fail = () => {
			throw new Error('the harness reads the poll result itself');
		};
		const context = new PollContext(workflow, node, additionalData, 'trigger', this.options.activation ?? 'activate', fail, fail);
		this.workflow = workflow;
		this.context = context;
		return { workflow, context, node };
	}

	/** One scheduled poll (the first one after activation is the activation's own poll). */
	async poll(): Promise<PollResult> {
		await setUpBinaryData();
		const { workflow, context } = this.workflow && this.context ? { workflow: this.workflow, context: this.context } : this.activate();
		const node = workflow.getNode(TRIGGER_NAME) as INode;
		let returned: INodeExecutionData[][] | null;
		try {
			returned = await Container.get(TriggersAndPollers).runPollFunction(workflow, node, context);
		} catch (error) {
			return { items: [], error: error as Error };
		}
		this.save(workflow);
		return { items: returned?.[0] ?? [], returned };
	}

	/** n8n's WorkflowStaticDataService.saveStaticData: only when the data changed. */
	private save(workflow: Workflow): void {
		const staticData = workflow.staticData as IDataObject & { __dataChanged?: boolean };
		if (staticData.__dataChanged !== true) return;
		this.database = JSON.stringify(staticData);
		staticData.__dataChanged = false;
		this.saves++;
	}

	/** n8n restarts: the next poll loads the workflow (and its static data) from the database. */
	restart(): void {
		this.workflow = undefined;
		this.context = undefined;
	}

	/** The trigger's state as saved in the database. */
	get state(): TriggerState | undefined {
		const saved = JSON.parse(this.database) as Record<string, IDataObject>;
		return saved[`node:${TRIGGER_NAME}`]?.[STATE_FIELD] as TriggerState | undefined;
	}

	/** Bytes of the saved static data (JSON). */
	get stateBytes(): number {
		return Buffer.byteLength(this.database, 'utf8');
	}

	/** The editor's "Fetch Test Event": a manual execution of the trigger through WorkflowExecute. */
	async fetchTestEvent(): Promise<{ items: INodeExecutionData[]; error?: Error; staticData: IDataObject }> {
		const result = await runNode({
			parameters: this.options.parameters,
			credentials: this.options.credentials,
			nodeType: this.nodeType,
			typeName: TRIGGER_TYPE,
			nodeName: TRIGGER_NAME,
			staticData: JSON.parse(this.database) as IDataObject,
		});
		return {
			items: result.items,
			error: result.error,
			staticData: JSON.parse(JSON.stringify(result.workflow?.staticData ?? {})) as IDataObject,
		};
	}
}
