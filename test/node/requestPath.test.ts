/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
   a test that reads the request path's source files with the type checker. */
/**
 * The request path reads top to bottom in one module: shared/transport.ts sends, and the modules it
 * asks (retry, rate limit, location tokens, credentials, errors, ...) answer and return. A request
 * followed through the code then visits transport once and returns to no module it left.
 *
 * Two things make that so, and these tests check both on the source with TypeScript's own type
 * checker:
 * - no module transport calls imports transport (the import-cycle test in layout.test.ts; here for
 *   the modules of the request path by name);
 * - transport hands no function of its own to another module of the package (a callback would let
 *   that module call back into transport: the agency token exchange did, through a sender).
 * n8n's own helpers (RoutingNode, httpRequest) are not modules of the package: handing them a
 * postReceive is how n8n is used. There is no exception.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '../..');
const shared = path.join(root, 'nodes/ConversationsApi/shared');
const transport = path.join(shared, 'transport.ts');

function compilerOptions(): ts.CompilerOptions {
	const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), (file) => readFileSync(file, 'utf8'));
	return { ...ts.parseJsonConfigFileContent(config.config, ts.sys, root).options, noEmit: true };
}

/** The type-checked program of transport.ts, its source replaced by `source` when given. */
function program(source?: string): ts.Program {
	const options = compilerOptions();
	const host = ts.createCompilerHost(options);
	if (source !== undefined) {
		const getSourceFile = host.getSourceFile.bind(host);
		host.getSourceFile = (file, language, ...rest) =>
			path.resolve(file) === transport ? ts.createSourceFile(file, source, language) : getSourceFile(file, language, ...rest);
	}
	return ts.createProgram([transport], options, host);
}

/** The package's own source file a declaration is in, or undefined (n8n, Node.js, TypeScript's lib). */
function ownFile(declaration: ts.Node | undefined): string | undefined {
	const file = declaration?.getSourceFile().fileName;
	if (!file || file.includes('node_modules') || !path.resolve(file).startsWith(root)) return undefined;
	return path.resolve(file);
}

/** Whether `expression` is a function written in (or declared in) transport.ts. */
function isTransportFunction(checker: ts.TypeChecker, written: ts.Expression): boolean {
	// A cast or parentheses hide nothing.
	let expression = written;
	while (
		ts.isParenthesizedExpression(expression) ||
		ts.isAsExpression(expression) ||
		ts.isNonNullExpression(expression) ||
		ts.isTypeAssertionExpression(expression) ||
		ts.isSatisfiesExpression(expression)
	)
		expression = expression.expression;
	if (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) return true;
	if (ts.isObjectLiteralExpression(expression)) {
		return expression.properties.some(
			(property) =>
				ts.isMethodDeclaration(property) ||
				(ts.isPropertyAssignment(property) && isTransportFunction(checker, property.initializer)) ||
				(ts.isShorthandPropertyAssignment(property) && isTransportFunction(checker, property.name)),
		);
	}
	if (checker.getTypeAtLocation(expression).getCallSignatures().length === 0) return false;
	let symbol = checker.getSymbolAtLocation(ts.isCallExpression(expression) ? expression.expression : expression);
	if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
	// A function-typed value transport made (a call's result, a local): transport's unless declared elsewhere.
	const declared = symbol?.declarations?.[0];
	return declared === undefined || ownFile(declared) === transport;
}

/** Every call in transport.ts into another module of the package that hands it a function of transport's. */
function callbacksOutOfTransport(checked: ts.Program): string[] {
	const checker = checked.getTypeChecker();
	const source = checked.getSourceFile(transport)!;
	const found: string[] = [];
	const visit = (node: ts.Node) => {
		if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
			const declaration = checker.getResolvedSignature(node)?.getDeclaration();
			const file = ownFile(declaration);
			if (file && file !== transport && (node.arguments ?? []).some((argument) => isTransportFunction(checker, argument))) {
				const callee = node.expression.getText(source).split('.').pop();
				found.push(`${callee} (${path.relative(shared, file)})`);
			}
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

/** The package modules a file imports (relative imports, type imports too). */
function importsOf(file: string): string[] {
	return [...readFileSync(file, 'utf8').matchAll(/(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/g)].map((match) =>
		path.resolve(path.dirname(file), `${match[1]}.ts`),
	);
}

describe('The request path (shared/transport.ts)', () => {
	const checked = program();

	it('type-checks as it is (the program the checks read is the real one)', () => {
		expect(ts.getPreEmitDiagnostics(checked, checked.getSourceFile(transport)).map((diagnostic) => diagnostic.messageText)).toEqual([]);
	});

	it('hands no callback to the modules it asks', () => {
		expect(callbacksOutOfTransport(checked)).toEqual([]);
	});

	it('finds a callback: a sender handed to locationTokens.ts, as the agency token exchange had', () => {
		const source = readFileSync(transport, 'utf8');
		const withSender = `${source}
export async function probe(context: Context, agency: AgencyAccess): Promise<string> {
	const sender = async (request: IHttpRequestOptions) => await companyRequest(context, request);
	return await rememberExchange(context.getNode(), agency, sender as unknown as Promise<IDataObject>);
}
export async function probe2(context: Context, agency: AgencyAccess): Promise<string> {
	return await rememberExchange(context.getNode(), agency, (async () => await companyRequest(context, exchangeRequest(agency))) as never);
}
`;
		expect(callbacksOutOfTransport(program(withSender))).toEqual([
			'rememberExchange (locationTokens.ts)',
			'rememberExchange (locationTokens.ts)',
		]);
	});

	it('the modules of the request path import nothing from transport', () => {
		const asked = ['retry.ts', 'rateLimit.ts', 'locationTokens.ts', 'credentials.ts', 'errors.ts', 'oauthRefresh.ts', 'time.ts'];
		const importers = asked.filter((name) => importsOf(path.join(shared, name)).includes(transport));
		expect(importers).toEqual([]);
		// ...and transport asks each of them (the list above is the path's, not a guess).
		expect(importsOf(transport)).toEqual(
			expect.arrayContaining(asked.filter((name) => name !== 'time.ts').map((name) => path.join(shared, name))),
		);
	});
});
