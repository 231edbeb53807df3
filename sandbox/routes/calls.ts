/** Calls: recording (WAV), transcription (JSON) and transcription download (text). */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app';
import { CALL_MESSAGE_TYPES } from '../channels';
import { notFound, paramsOf } from '../http';
import { transcriptText, wavRecording } from '../media';
import type { Message } from '../state';

export function registerCallRoutes(app: FastifyInstance, { state }: AppContext): void {
	const v2 = { config: { kind: 'v2' as const } };
	const recordings = new Map<string, Buffer>();

	const messageOr404 = (id: string): Message => {
		const message = state.message(id);
		if (!message) throw notFound('Message');
		return message;
	};

	app.get('/conversations/messages/:messageId/locations/:locationId/recording', v2, async (request, reply) => {
		const message = messageOr404(paramsOf(request).messageId);
		if (!CALL_MESSAGE_TYPES.includes(message.messageType) || !message.hasRecording) throw notFound('Recording');
		let wav = recordings.get(message.id);
		if (!wav) {
			wav = wavRecording(message.transcription ?? []);
			recordings.set(message.id, wav);
		}
		return reply.header('content-type', 'audio/x-wav').header('content-disposition', 'attachment; filename=audio.wav').send(wav);
	});

	app.get('/conversations/locations/:locationId/messages/:messageId/transcription', v2, async (request) => {
		const message = messageOr404(paramsOf(request).messageId);
		if (!message.transcription?.length) throw notFound('Transcription');
		// The spec answers one GetMessageTranscriptionResponseDto object (not a list): the whole
		// call as one passage, from its first start to its last end.
		const sentences = message.transcription;
		return {
			mediaChannel: sentences[0].mediaChannel,
			sentenceIndex: 0,
			startTime: sentences[0].startTime,
			endTime: sentences[sentences.length - 1].endTime,
			transcript: sentences.map((sentence) => sentence.transcript).join(' '),
			confidence: Math.round((sentences.reduce((sum, sentence) => sum + sentence.confidence, 0) / sentences.length) * 100) / 100,
		};
	});

	app.get('/conversations/locations/:locationId/messages/:messageId/transcription/download', v2, async (request, reply) => {
		const message = messageOr404(paramsOf(request).messageId);
		if (!message.transcription?.length) throw notFound('Transcription');
		return reply
			.header('content-type', 'text/plain')
			.header('content-disposition', 'attachment; filename="transcription.txt"')
			.send(Buffer.from(transcriptText(message.transcription), 'utf8'));
	});
}
