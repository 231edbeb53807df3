import { LOCATION_ID, runNode } from '../support/engine';
import { api, json, rl } from '../support/api';

const initiated = {
	uploadUrl: 'https://storage.googleapis.com/bucket/path?X-Goog-Algorithm=GOOG4-RSA-SHA256',
	uploadId: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890',
	filePath: 'location/loc-TEST-1/conversations/conv-1/uuid.mp4',
	expiresAt: 1701619200000,
	maxFileSize: 104857600,
};

describe('Attachment > Initiate Upload', () => {
	it('sends POST /conversations/messages/upload/initiate with the file details and the credential location', async () => {
		const scope = api()
			.post('/conversations/messages/upload/initiate', {
				locationId: LOCATION_ID,
				conversationId: 'conv-1',
				filename: 'video.mp4',
				contentType: 'video/mp4',
				channel: 'WHATSAPP',
				fileSize: 52428800,
			})
			.matchHeader('content-type', /application\/json/)
			.reply(200, initiated);

		const { items, error } = await runNode({
			parameters: {
				resource: 'attachment',
				operation: 'initiateUpload',
				conversationId: rl('conv-1'),
				filename: 'video.mp4',
				contentType: 'video/mp4',
				channel: 'WHATSAPP',
				additionalFields: { fileSize: 52428800 },
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([initiated]);
	});

	it('leaves the file size out when not set and uses the node Location ID', async () => {
		const scope = api()
			.post('/conversations/messages/upload/initiate', {
				locationId: 'other-loc',
				conversationId: 'conv-1',
				filename: 'photo.png',
				contentType: 'image/png',
				channel: 'SMS',
			})
			.reply(200, initiated);

		const { error } = await runNode({
			parameters: {
				resource: 'attachment',
				operation: 'initiateUpload',
				conversationId: rl('conv-1'),
				filename: ' photo.png ',
				contentType: 'image/png',
				channel: 'SMS',
				locationId: 'other-loc',
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('a required field that is blank for an item is an error naming it', async () => {
		const { error } = await runNode({
			parameters: {
				resource: 'attachment',
				operation: 'initiateUpload',
				conversationId: rl('conv-1'),
				filename: 'video.mp4',
				contentType: '={{ $json.type }}',
				channel: 'WHATSAPP',
			},
		});

		expect(error?.message).toBe('The "Content Type" field is empty');
	});
});
