/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-hardcoded-secrets --
   test support, never shipped: it uses Node built-ins and fake tokens on purpose. */
/**
 * Runs the package's nodes through the real n8n engine: `WorkflowExecute` executes a workflow
 * whose node is ours, so declarative operations go through n8n-core's `RoutingNode` and its
 * HTTP, OAuth2 and binary-data helpers. HTTP is answered by nock.
 * Only what n8n's server would supply around an execution (stored credentials, node type
 * registry) is provided here, the way n8n's own node test harness does it.
 */
import { Container } from '@n8n/di';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BinaryDataConfig, BinaryDataService, Credentials, ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	LoggerProxy,
	createRunExecutionData,
	Workflow,
	type ExecutionError,
	type IAuthenticateGeneric,
	type ICredentialDataDecryptedObject,
	type ICredentialTestRequest,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeParameters,
	type INodeProperties,
	type INodePropertyOptions,
	type INodeType,
	type IVersionedNodeType,
	type IRun,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';
import { ConversationsApi as ConversationsApiCredential } from '../../credentials/ConversationsApi.credentials';
import { ConversationsOAuth2Api } from '../../credentials/ConversationsOAuth2Api.credentials';
import { ConversationsApi } from '../../nodes/ConversationsApi/ConversationsApi.node';
import { NODE_TYPE, PACKAGE, TestNodeTypes, testNode } from './nodes';
import { CREDENTIAL_TYPE, DEFAULT_BASE_URL, OAUTH_AUTHORIZATION_URL } from '../../credentials/constants';

export { NODE_TYPE, PACKAGE, TestNodeTypes } from './nodes';
export const BASE_URL = DEFAULT_BASE_URL;
export const TOKEN = 'pit-test-token-5e3c1a';
export const OAUTH_TOKEN = 'oauth-access-token-9f2b7d';
export const LOCATION_ID = 'loc-TEST-1';

/** The parent of every OAuth2 credential, as n8n defines it (only what the engine reads). */
const oAuth2Api: ICredentialType = {
	name: 'oAuth2Api',
	displayName: 'OAuth2 API',
	properties: [],
};

const credentialTypes: Record<string, ICredentialType> = {
	oAuth2Api,
	[CREDENTIAL_TYPE.privateIntegrationToken]: new ConversationsApiCredential(),
	[CREDENTIAL_TYPE.marketplaceApp]: new ConversationsOAuth2Api(),
};

export type CredentialData = Record<string, ICredentialDataDecryptedObject>;

export const credentials = {
	privateIntegrationToken: (overrides: IDataObject = {}): CredentialData => ({
		[CREDENTIAL_TYPE.privateIntegrationToken]: {
			privateIntegrationToken: TOKEN,
			locationId: LOCATION_ID,
			baseUrl: BASE_URL,
			...overrides,
		},
	}),
	oAuth2: (overrides: IDataObject = {}): CredentialData => ({
		[CREDENTIAL_TYPE.marketplaceApp]: {
			grantType: 'authorizationCode',
			authUrl: OAUTH_AUTHORIZATION_URL.standard,
			accessTokenUrl: `${BASE_URL}/oauth/token`,
			clientId: 'client-id',
			clientSecret: 'client-secret',
			scope: '',
			authentication: 'body',
			locationId: '',
			baseUrl: BASE_URL,
			oauthTokenData: {
				access_token: OAUTH_TOKEN,
				refresh_token: 'refresh-token-1',
				token_type: 'Bearer',
				locationId: 'loc-FROM-TOKEN',
			},
			...overrides,
		},
	}),
	/** The OAuth2 credential connected as an agency: a company token (company `comp-1`). */
	agency: (overrides: IDataObject = {}): CredentialData =>
		credentials.oAuth2({
			accountType: 'agency',
			oauthTokenData: {
				access_token: OAUTH_TOKEN,
				refresh_token: 'refresh-token-1',
				token_type: 'Bearer',
				userType: 'Company',
				companyId: 'comp-1',
			},
			...overrides,
		}),
};

/**
 * Stands in for n8n's credential store: hands out the test's credential data, applies a
 * credential's generic `authenticate` block as n8n does (resolving its expressions against the
 * credential), and records OAuth2 token updates.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	readonly tokenUpdates: Array<{ type: string; data: ICredentialDataDecryptedObject }> = [];
	/** How many times a credential was read (in n8n: loaded from the database and decrypted). */
	reads = 0;
	/** How many requests n8n signed with a credential's `authenticate` (each after a read of its own). */
	signs = 0;

	constructor(private readonly data: CredentialData) {
		super();
	}

	getParentTypes(name: string): string[] {
		const parents = credentialTypes[name]?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		this.signs++;
		const authenticate = credentialTypes[typeName]?.authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!authenticate) return requestOptions;
		const generic = authenticate as IAuthenticateGeneric;
		const resolve = (value: string) =>
			workflow && node
				? (workflow.expression.getParameterValue(value, null, 0, 0, node.name, [], 'internal', {
						$credentials: credentials,
					}) as string)
				: value;
		const options = requestOptions as unknown as Record<string, IDataObject>;
		for (const [outerKey, inner] of Object.entries(generic.properties)) {
			options[outerKey] = { ...(options[outerKey] ?? {}) };
			for (const [key, value] of Object.entries(inner as IDataObject)) {
				options[outerKey][resolve(key)] = resolve(value as string);
			}
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string) {
		return new Credentials(nodeCredentials, type, '');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		this.reads++;
		const found = this.data[type];
		if (!found) throw new Error(`The test gave no credential of type ${type}`);
		return found;
	}

	async updateCredentials(_nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) {
		this.data[type] = data;
	}

	async updateCredentialsOauthTokenData(_nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) {
		this.tokenUpdates.push({ type, data });
		this.data[type] = { ...this.data[type], ...data };
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return credentialTypes[type]?.properties ?? [];
	}
}

/** What n8n logs during a test run: kept here for inspection instead of going to the console. */
export const logged: string[] = [];

function recordLog(message: unknown, meta?: unknown) {
	logged.push(`${String(message)} ${meta === undefined ? '' : JSON.stringify(meta)}`);
}

const recordingLogger = {
	error: recordLog,
	warn: recordLog,
	info: recordLog,
	debug: recordLog,
	scoped: () => recordingLogger,
};

/** n8n-core takes its logger from the DI container: the class must be the one n8n-core resolves. */
function setUpLogging() {
	const backendCommon = require.resolve('@n8n/backend-common', { paths: [require.resolve('n8n-core')] });
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { Logger } = require(backendCommon) as { Logger: new (...args: never[]) => unknown };
	Container.set(Logger, recordingLogger);
	LoggerProxy.init(recordingLogger as never);
}

let binaryDataReady: Promise<void> | undefined;

/** n8n's default binary mode: binary data kept in the execution data, as base64. */
export function setUpBinaryData(): Promise<void> {
	binaryDataReady ??= (async () => {
		setUpLogging();
		const config = {
			mode: 'default',
			availableModes: ['default'],
			localStoragePath: mkdtempSync(path.join(tmpdir(), 'n8n-binary-')),
		} as unknown as BinaryDataConfig;
		const noop = () => undefined;
		const logger = { error: noop, warn: noop, info: noop, debug: noop } as never;
		const service = new BinaryDataService(config, { error: noop } as never, logger);
		await service.init();
		Container.set(BinaryDataService, service);
	})();
	return binaryDataReady;
}

export function additionalDataFor(hooks: ExecutionLifecycleHooks, credentialsHelper: ICredentialsHelper): IWorkflowExecuteAdditionalData {
	return {
		hooks,
		credentialsHelper,
		executionId: 'test-execution',
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		currentNodeParameters: undefined,
		variables: {},
		userId: 'test-user',
		executeWorkflow: async () => {
			throw new Error('not used by these nodes');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('not used by these nodes');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface NodeRunOptions {
	parameters: INodeParameters;
	/** Credential data by type; the authentication parameter follows the type given. */
	credentials?: CredentialData;
	input?: INodeExecutionData[];
	continueOnFail?: boolean;
	nodeType?: INodeType | IVersionedNodeType;
	typeName?: string;
	/** The node's name (default "Conversations API"). */
	nodeName?: string;
	/** The workflow's static data (as n8n loads it from its database). */
	staticData?: IDataObject;
	/** The stored credential's ID (default "cred-1"). */
	credentialId?: string;
	/** The node's version (default 1). */
	typeVersion?: number;
	/** The workflow's time zone setting. */
	timezone?: string;
	/** The credential store, when several runs share one (as executions share n8n's database); else one with `credentials`. */
	credentialsHelper?: TestCredentialsHelper;
}

export interface NodeRunResult {
	items: INodeExecutionData[];
	/** The node's error when it failed as a whole (no Continue On Fail). */
	error?: ExecutionError;
	run: IRun;
	credentialsHelper: TestCredentialsHelper;
	/** The workflow the node ran in (its static data, after the run). */
	workflow?: Workflow;
}

const NODE_NAME = 'Conversations API';

/** Executes one node of ours on the given input items, through WorkflowExecute. */
export async function runNode(options: NodeRunOptions): Promise<NodeRunResult> {
	await setUpBinaryData();
	const credentialData = options.credentials ?? credentials.privateIntegrationToken();
	const credentialsHelper = options.credentialsHelper ?? new TestCredentialsHelper({ ...credentialData });
	const credentialType = Object.keys(credentialData)[0];
	const typeName = options.typeName ?? NODE_TYPE;
	const nodeType = options.nodeType ?? new ConversationsApi();
	const nodeName = options.nodeName ?? NODE_NAME;

	const node = testNode({
		id: 'node-1',
		name: nodeName,
		type: typeName,
		parameters: options.parameters,
		credentialType,
		credentialId: options.credentialId,
		continueOnFail: options.continueOnFail,
		typeVersion: options.typeVersion,
	});

	const workflow = new Workflow({
		id: 'test-workflow',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes({ [typeName]: nodeType }),
		staticData: options.staticData,
		settings: options.timezone ? { timezone: options.timezone } : undefined,
	});

	const { run, error: refused } = await executeWorkflow(workflow, {
		startNode: node,
		input: options.input ?? [{ json: {} }],
		mode: 'manual',
		credentialsHelper,
	});
	if (!run) return { items: [], error: refused, run: undefined as never, credentialsHelper, workflow };

	const taskData = run.data.resultData.runData[nodeName]?.[0];
	return {
		items: taskData?.data?.main?.[0] ?? [],
		error: taskData?.error ?? run.data.resultData.error,
		run,
		credentialsHelper,
		workflow,
	};
}

/**
 * Executes a workflow with n8n-core's WorkflowExecute, starting at `startNode` with `input` as its
 * input. When n8n refuses to start it (a node has issues, e.g. an empty required field), `run` is
 * undefined and `error` says why.
 */
export async function executeWorkflow(
	workflow: Workflow,
	options: {
		startNode: INode;
		input: INodeExecutionData[];
		mode: WorkflowExecuteMode;
		credentialsHelper: TestCredentialsHelper;
	},
): Promise<{ run?: IRun; error?: ExecutionError }> {
	const hooks = new ExecutionLifecycleHooks(options.mode, 'test-execution', {
		id: workflow.id,
		name: workflow.name ?? 'test',
		active: false,
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		createdAt: new Date(),
		updatedAt: new Date(),
		isArchived: false,
		activeVersionId: null,
	} as never);
	let finished: (run: IRun) => void = () => undefined;
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => finished(fullRunData));

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: options.startNode, data: { main: [options.input] }, source: null }],
		},
	});
	const additionalData = additionalDataFor(hooks, options.credentialsHelper);
	const workflowExecute = new WorkflowExecute(additionalData, options.mode, runExecutionData);
	try {
		await workflowExecute.processRunExecutionData(workflow);
	} catch (error) {
		// n8n refuses to start a workflow whose nodes have issues (e.g. an empty required field).
		return { error: error as ExecutionError };
	}
	return { run: await done };
}

/**
 * Runs a list search (resource locator "From List") the way n8n's server does: the node's
 * `methods.listSearch` function called in n8n-core's LoadOptionsContext.
 */
export async function runListSearch(options: {
	method: string;
	parameters: INodeParameters;
	filter?: string;
	paginationToken?: string;
	credentials?: CredentialData;
}): Promise<INodeListSearchResult> {
	const nodeType = new ConversationsApi();
	const context = await loadOptionsContext({ ...options, nodeType });
	const search = nodeType.methods.listSearch[options.method as keyof typeof nodeType.methods.listSearch];
	return await search.call(context, options.filter, options.paginationToken);
}

/**
 * Runs a load-options method (a multi-select's list) of a node through n8n-core's
 * LoadOptionsContext, as the editor does when the list is opened.
 */
export async function runLoadOptions(options: {
	method: string;
	parameters: INodeParameters;
	credentials?: CredentialData;
	nodeType?: INodeType;
	typeName?: string;
}): Promise<INodePropertyOptions[]> {
	const nodeType: INodeType = options.nodeType ?? new ConversationsApi();
	const context = await loadOptionsContext({ ...options, nodeType });
	const method = nodeType.methods?.loadOptions?.[options.method];
	if (!method) throw new Error(`No load-options method "${options.method}"`);
	return await method.call(context);
}

/** n8n-core's LoadOptionsContext for one node of the given type, with the credential given. */
async function loadOptionsContext(options: {
	parameters: INodeParameters;
	credentials?: CredentialData;
	nodeType: INodeType;
	typeName?: string;
}): Promise<LoadOptionsContext> {
	await setUpBinaryData();
	const credentialData = options.credentials ?? credentials.privateIntegrationToken();
	const credentialType = Object.keys(credentialData)[0];
	const typeName = options.typeName ?? NODE_TYPE;
	const node = testNode({ id: 'node-1', name: NODE_NAME, type: typeName, parameters: options.parameters, credentialType });
	const workflow = new Workflow({
		id: 'test-workflow',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes({ [typeName]: options.nodeType }),
	});
	const hooks = new ExecutionLifecycleHooks('internal', 'load-options', {} as never);
	const additionalData = additionalDataFor(hooks, new TestCredentialsHelper({ ...credentialData }));
	return new LoadOptionsContext(workflow, node, additionalData, 'parameters');
}

/**
 * Runs a credential's test the way n8n's credentials tester does: the test request goes through
 * RoutingNode with the decrypted credential, and the credential's rules turn failures into messages.
 */
export async function testCredential(type: string, data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
	const test = credentialTypes[type].test as ICredentialTestRequest;
	const nodeType: INodeType = {
		description: {
			displayName: 'Credential Test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: type, required: true }],
			requestDefaults: {},
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					default: '',
					routing: { request: test.request },
				},
			],
		},
	};
	const result = await runNode({
		parameters: {},
		credentials: { [type]: data },
		nodeType,
		typeName: `${PACKAGE}.credentialTest`,
	});
	if (!result.error) {
		// As n8n's credentials tester: a 2xx whose body has `key` equal to `value` fails with the rule's message.
		const body = result.items[0]?.json;
		for (const rule of test.rules ?? []) {
			if (rule.type !== 'responseSuccessBody') continue;
			const found = rule.properties.key
				.split('.')
				.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], body);
			if (found === rule.properties.value) return { status: 'Error', message: rule.properties.message };
		}
		return { status: 'OK', message: 'Connection successful!' };
	}
	const cause = (result.error as unknown as { cause?: { response?: { status?: number } } }).cause;
	const httpCode = Number((result.error as unknown as { httpCode?: string }).httpCode ?? cause?.response?.status);
	for (const rule of test.rules ?? []) {
		if (rule.type === 'responseCode' && rule.properties.value === httpCode) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'Error', message: result.error.message };
}
