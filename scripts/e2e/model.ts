/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tool, never shipped: a stand-in model server with Node built-ins */
/**
 * An OpenAI-compatible chat model as a stand-in (dev tool, never shipped; used by the real-n8n
 * harness): n8n's OpenAI credential points its Base URL here. It answers `POST /v1/chat/completions`
 * (plain JSON, or server-sent events when the request asks to stream) and `GET /v1/models`, and it
 * keeps every request: the tools n8n offered (name, description, parameters) and the messages.
 *
 * Scripted, not clever: after the customer's last message it calls the tools `script` returns for
 * that text, one call per turn, in order, then answers with text. A tool is named as n8n names it
 * (the node's name, spaces as underscores); a tool the request does not offer fails the script.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OfferedTool {
	name: string;
	description: string;
	parameters: { properties?: Record<string, { type?: string; description?: string }>; required?: string[] };
}

export interface ModelRequest {
	tools: OfferedTool[];
	messages: Array<{ role: string; content?: unknown; tool_calls?: unknown[]; tool_call_id?: string }>;
	stream: boolean;
	/** The text of the last user message (the customer's message, as the agent passes it on). */
	customerText: string;
	/** What the stand-in answered: a tool call or the final text. */
	answer: { tool: string; args: Record<string, unknown> } | { text: string };
}

export type Script = (customerText: string) => { calls: Array<{ tool: string; args: Record<string, unknown> }>; text: string };

export interface StandInModel {
	/** The credential's Base URL (…/v1). */
	url: string;
	requests: ModelRequest[];
	/** Requests whose answer failed (a tool not offered, a body that is not a chat request). */
	errors: string[];
	close(): Promise<void>;
}

const text = (content: unknown): string =>
	typeof content === 'string'
		? content
		: Array.isArray(content)
			? content.map((part) => String((part as { text?: string }).text ?? '')).join('')
			: '';

function decide(body: Record<string, unknown>, script: Script): ModelRequest {
	const messages = (body.messages ?? []) as ModelRequest['messages'];
	const tools = ((body.tools ?? []) as Array<{ function: OfferedTool }>).map((tool) => tool.function);
	let lastUser = -1;
	messages.forEach((message, index) => {
		if (message.role === 'user') lastUser = index;
	});
	if (lastUser < 0) throw new Error('the request has no user message');
	const customerText = text(messages[lastUser].content);
	// One tool call per turn: the calls already answered are the assistant turns since the customer's message.
	const turn = messages.slice(lastUser + 1).filter((message) => message.role === 'assistant').length;
	const { calls, text: finalText } = script(customerText);
	const call = calls[turn];
	if (call && !tools.some((tool) => tool.name === call.tool)) {
		throw new Error(`the script calls "${call.tool}", the request offers ${tools.map((tool) => tool.name).join(', ') || 'no tools'}`);
	}
	return {
		tools,
		messages,
		stream: body.stream === true,
		customerText,
		answer: call ? { tool: call.tool, args: call.args } : { text: finalText },
	};
}

function completion(request: ModelRequest, model: string, index: number) {
	const id = `chatcmpl-standin-${index}`;
	const toolCall =
		'tool' in request.answer
			? { id: `call_${index}`, type: 'function', function: { name: request.answer.tool, arguments: JSON.stringify(request.answer.args) } }
			: undefined;
	const message = toolCall
		? { role: 'assistant', content: null, tool_calls: [toolCall] }
		: { role: 'assistant', content: (request.answer as { text: string }).text };
	const finish = toolCall ? 'tool_calls' : 'stop';
	const usage = { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 };
	if (!request.stream) {
		return JSON.stringify({
			id,
			object: 'chat.completion',
			created: Math.floor(Date.now() / 1000),
			model,
			choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
			usage,
		});
	}
	const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
		`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }] })}\n\n`;
	const delta = toolCall
		? { role: 'assistant', content: null, tool_calls: [{ index: 0, ...toolCall }] }
		: { role: 'assistant', content: message.content };
	return `${chunk(delta, null)}${chunk({}, finish)}data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [], usage })}\n\ndata: [DONE]\n\n`;
}

async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString();
}

export async function startModel(script: Script, model = 'gpt-4.1-mini'): Promise<StandInModel> {
	const requests: ModelRequest[] = [];
	const errors: string[] = [];
	const answer = (response: ServerResponse, status: number, type: string, body: string) => {
		response.writeHead(status, { 'content-type': type });
		response.end(body);
	};
	const server: Server = createServer((request, response) => {
		void (async () => {
			const url = request.url ?? '';
			if (request.method === 'GET' && url.endsWith('/models')) {
				answer(
					response,
					200,
					'application/json',
					JSON.stringify({ object: 'list', data: [{ id: model, object: 'model', owned_by: 'stand-in' }] }),
				);
				return;
			}
			if (request.method !== 'POST' || !url.endsWith('/chat/completions')) {
				errors.push(`${request.method} ${url}: not a chat completion`);
				answer(response, 404, 'application/json', JSON.stringify({ error: { message: `no route ${request.method} ${url}` } }));
				return;
			}
			try {
				const decided = decide(JSON.parse(await readBody(request)) as Record<string, unknown>, script);
				requests.push(decided);
				answer(response, 200, decided.stream ? 'text/event-stream' : 'application/json', completion(decided, model, requests.length));
			} catch (error) {
				errors.push((error as Error).message);
				answer(
					response,
					400,
					'application/json',
					JSON.stringify({ error: { message: (error as Error).message, type: 'invalid_request_error' } }),
				);
			}
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
		requests,
		errors,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
