/** Call recordings (synthetic WAV audio) and transcripts. */
import type { ScriptLine } from './content';
import type { Random } from './random';

/** GetMessageTranscriptionResponseDto: one sentence of a call, times in seconds. */
export interface TranscriptSentence {
	mediaChannel: number;
	sentenceIndex: number;
	startTime: number;
	endTime: number;
	transcript: string;
	confidence: number;
}

/** Sentences with plausible timings; channel 1 is the agent, channel 2 the contact. */
export function transcriptFrom(script: ScriptLine[], random: Random): TranscriptSentence[] {
	let time = 0;
	return script.map((line, index) => {
		const words = line.text.split(/\s+/).length;
		const start = time + random.int(0, 1);
		const end = start + Math.max(2, Math.round(words / 2.6));
		time = end;
		return {
			mediaChannel: line.speaker === 'agent' ? 1 : 2,
			sentenceIndex: index,
			startTime: start,
			endTime: end,
			transcript: line.text,
			confidence: Math.round((0.82 + random.next() * 0.17) * 100) / 100,
		};
	});
}

function clock(seconds: number): string {
	const minutes = Math.floor(seconds / 60);
	return `${String(minutes).padStart(2, '0')}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
}

/** The text file of the transcription download. */
export function transcriptText(sentences: TranscriptSentence[]): string {
	return (
		sentences
			.map(
				(sentence) =>
					`[${clock(sentence.startTime)} - ${clock(sentence.endTime)}] ${sentence.mediaChannel === 1 ? 'Agent' : 'Contact'}: ${sentence.transcript}`,
			)
			.join('\n') + '\n'
	);
}

/**
 * A short mono 16-bit PCM WAV (8 kHz): one soft tone per sentence of the call, so the file is
 * small, valid and different per call.
 */
export function wavRecording(sentences: TranscriptSentence[], maxSeconds = 4): Buffer {
	const sampleRate = 8000;
	const tones = sentences.length ? sentences : [{ mediaChannel: 1 } as TranscriptSentence];
	const seconds = Math.min(maxSeconds, Math.max(1, tones.length * 0.5));
	const samples = Math.floor(sampleRate * seconds);
	const data = Buffer.alloc(samples * 2);
	const perTone = Math.ceil(samples / tones.length);
	for (let i = 0; i < samples; i++) {
		const tone = tones[Math.min(tones.length - 1, Math.floor(i / perTone))];
		const frequency = tone.mediaChannel === 1 ? 440 : 330 + ((tone.sentenceIndex ?? 0) % 4) * 55;
		const fade = Math.min(1, (i % perTone) / 200, (perTone - (i % perTone)) / 200);
		const value = Math.round(Math.sin((2 * Math.PI * frequency * i) / sampleRate) * 6000 * fade);
		data.writeInt16LE(value, i * 2);
	}
	const header = Buffer.alloc(44);
	header.write('RIFF', 0, 'ascii');
	header.writeUInt32LE(36 + data.length, 4);
	header.write('WAVE', 8, 'ascii');
	header.write('fmt ', 12, 'ascii');
	header.writeUInt32LE(16, 16); // PCM chunk size
	header.writeUInt16LE(1, 20); // PCM
	header.writeUInt16LE(1, 22); // mono
	header.writeUInt32LE(sampleRate, 24);
	header.writeUInt32LE(sampleRate * 2, 28); // byte rate
	header.writeUInt16LE(2, 32); // block align
	header.writeUInt16LE(16, 34); // bits per sample
	header.write('data', 36, 'ascii');
	header.writeUInt32LE(data.length, 40);
	return Buffer.concat([header, data]);
}
