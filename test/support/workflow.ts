/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
   test support, never shipped: reads templates/ from the repository with Node built-ins. */
/**
 * Runs a whole workflow (e.g. one of templates/*.json) through the real n8n engine, the way
 * engine.ts runs one node: n8n-core's `WorkflowExecute` with our node and n8n's own core nodes
 * (from the `n8n-nodes-base` dev dependency) as the node type registry.
 *
 * The start node is a trigger (Manual, Schedule: its trigger function runs as in a manual
 * execution) or a Webhook node, which is given `triggerItems` as its input and passes them on,
 * as n8n does when a webhook call starts a production execution.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
	Workflow,
	createRunExecutionData,
	type ExecutionError,
	type IConnections,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type IRun,
	type IRunData,
	type ITaskData,
	type IWorkflowSettings,
	type WorkflowExecuteMode,
} from 'n8n-workflow';
import { TestNodeTypes } from './nodes';
import { TestCredentialsHelper, executeWorkflow, setUpBinaryData, type CredentialData } from './engine';

/** A workflow as n8n exports it (only what the engine reads). */
export interface WorkflowJson {
	name: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	[key: string]: unknown;
}

const BASE_PREFIX = 'n8n-nodes-base.';

/** The package's root (the folder with templates/), from this file's place in test/ or .build/. */
export function repoRoot(): string {
	let dir = __dirname;
	while (!existsSync(path.join(dir, 'templates')) || !existsSync(path.join(dir, 'package.json'))) {
		const parent = path.dirname(dir);
		if (parent === dir) throw new Error(`No templates/ folder above ${__dirname}`);
		dir = parent;
	}
	return dir;
}

/** A template of templates/, e.g. loadTemplate('search-conversations'). */
export function loadTemplate(name: string): WorkflowJson {
	const file = path.join(repoRoot(), 'templates', `${name.replace(/\.json$/, '')}.json`);
	return JSON.parse(readFileSync(file, 'utf8')) as WorkflowJson;
}

/** A JSON file of templates/samples/, e.g. loadSample('ablefy-payment'). */
export function loadSample(name: string): IDataObject {
	const file = path.join(repoRoot(), 'templates', 'samples', `${name.replace(/\.json$/, '')}.json`);
	return JSON.parse(readFileSync(file, 'utf8')) as IDataObject;
}

interface SetAssignment {
	name: string;
	value: unknown;
	type?: string;
}

/**
 * A copy of the workflow with new values for fields of a Set node ("Edit Fields"), the way a user
 * configures a template: only fields the node already has can be changed.
 */
export function withFields(workflowJson: WorkflowJson, nodeName: string, values: Record<string, string | number | boolean>): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(workflowJson)) as WorkflowJson;
	const node = copy.nodes.find((candidate) => candidate.name === nodeName);
	if (!node) throw new Error(`The workflow "${copy.name}" has no node "${nodeName}"`);
	const assignments = (node.parameters.assignments as { assignments?: SetAssignment[] } | undefined)?.assignments;
	if (!assignments) throw new Error(`The node "${nodeName}" is not a Set node with fields`);
	for (const [name, value] of Object.entries(values)) {
		const field = assignments.find((assignment) => assignment.name === name);
		if (!field) throw new Error(`The node "${nodeName}" has no field "${name}"`);
		field.value = value;
	}
	return copy;
}

export interface WorkflowRunOptions {
	/** Credential data by type (e.g. `{ conversationsApi: {...} }`), whatever the nodes name. */
	credentials: CredentialData;
	/** The node to start from; by default the workflow's only trigger or webhook node. */
	startNode?: string;
	/** Input of the start node: required for a Webhook node (the request as n8n outputs it). */
	triggerItems?: Array<IDataObject | INodeExecutionData>;
}

export interface WorkflowRunResult {
	run: IRun;
	/** The execution's error: a node's failure, or a workflow n8n refused to start. */
	error?: ExecutionError;
	/** Every node's runs, by node name. */
	runData: IRunData;
	/** Names of the nodes that ran, in the order they first ran. */
	executed: string[];
	/**
	 * Items a node output over all its runs (a node runs once per incoming branch): of its first
	 * output, of another one (e.g. a Switch's rule), or of all of them with 'all' (a Filter's
	 * second output holds the discarded items).
	 */
	output(nodeName: string, outputIndex?: number | 'all'): INodeExecutionData[];
	/** The json of those items. */
	json(nodeName: string, outputIndex?: number | 'all'): IDataObject[];
	/** The first error of a node's runs, if it failed. */
	nodeError(nodeName: string): ExecutionError | undefined;
	credentialsHelper: TestCredentialsHelper;
}

const TRIGGER_TYPES = /Trigger$|\.webhook$/;

function findStartNode(workflow: WorkflowJson, name?: string): INode {
	if (name) {
		const node = workflow.nodes.find((candidate) => candidate.name === name);
		if (!node) throw new Error(`The workflow "${workflow.name}" has no node "${name}"`);
		return node;
	}
	const triggers = workflow.nodes.filter((node) => TRIGGER_TYPES.test(node.type) && !node.disabled);
	if (triggers.length !== 1) {
		throw new Error(`The workflow "${workflow.name}" has ${triggers.length} trigger nodes: name the start node`);
	}
	return triggers[0];
}

function toItems(items: Array<IDataObject | INodeExecutionData>): INodeExecutionData[] {
	return items.map((item) =>
		typeof item.json === 'object' && item.json !== null && !Array.isArray(item.json)
			? (item as INodeExecutionData)
			: { json: item as IDataObject },
	);
}

/** Executes a workflow through n8n-core's WorkflowExecute, from its trigger or webhook node. */
export async function runWorkflow(workflowJson: WorkflowJson, options: WorkflowRunOptions): Promise<WorkflowRunResult> {
	await setUpBinaryData();
	// The engine may change nodes (e.g. disable a waiting one): run on a copy of the template.
	const source = JSON.parse(JSON.stringify(workflowJson)) as WorkflowJson;
	const credentialsHelper = new TestCredentialsHelper({ ...options.credentials });
	const nodeTypes = new TestNodeTypes();
	const workflowId = 'test-workflow';

	const workflow = new Workflow({
		id: workflowId,
		name: source.name,
		nodes: source.nodes,
		connections: source.connections,
		active: false,
		nodeTypes,
		settings: source.settings ?? { executionOrder: 'v1' },
		staticData: {},
	});

	const startNode = workflow.getNode(findStartNode(source, options.startNode).name) as INode;
	const isWebhook = startNode.type === `${BASE_PREFIX}webhook`;
	if (isWebhook && !options.triggerItems) {
		throw new Error(`The start node "${startNode.name}" is a Webhook node: give its input as triggerItems`);
	}
	// Trigger nodes run their trigger function only in manual mode; given items, they pass them on.
	const mode: WorkflowExecuteMode = options.triggerItems ? (isWebhook ? 'webhook' : 'trigger') : 'manual';

	const { run, error } = await executeWorkflow(workflow, {
		startNode,
		input: options.triggerItems ? toItems(options.triggerItems) : [{ json: {} }],
		mode,
		credentialsHelper,
	});
	if (!run) {
		const refused = { data: createRunExecutionData({}), mode, startedAt: new Date(), status: 'error' } as IRun;
		return resultOf(refused, credentialsHelper, error);
	}
	return resultOf(run, credentialsHelper, run.data.resultData.error);
}

function resultOf(run: IRun, credentialsHelper: TestCredentialsHelper, error: ExecutionError | undefined): WorkflowRunResult {
	const runData = run.data.resultData.runData ?? {};
	const runsOf = (nodeName: string): ITaskData[] => runData[nodeName] ?? [];
	const executed = Object.entries(runData)
		.filter(([, runs]) => runs.length > 0)
		.sort(([, a], [, b]) => (a[0].executionIndex ?? 0) - (b[0].executionIndex ?? 0))
		.map(([name]) => name);
	const output = (nodeName: string, outputIndex: number | 'all' = 0) =>
		runsOf(nodeName).flatMap((task) => {
			const outputs = task.data?.main ?? [];
			return (outputIndex === 'all' ? outputs : [outputs[outputIndex]]).flatMap((items) => items ?? []);
		});
	return {
		run,
		error,
		runData,
		executed,
		output,
		json: (nodeName, outputIndex) => output(nodeName, outputIndex).map((item) => item.json),
		nodeError: (nodeName) => runsOf(nodeName).find((task) => task.error)?.error,
		credentialsHelper,
	};
}
