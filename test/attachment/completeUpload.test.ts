import { LOCATION_ID, runNode } from '../support/engine';
import { api, json, rl } from '../support/api';

const completed = {
	uploadedFiles: { 'video.mp4': 'https://assets.example.com/conversations-assets/location/loc-TEST-1/video.mp4' },
	metadata: { size: 52428800, contentType: 'video/mp4' },
};

describe('Attachment > Complete Upload', () => {
	it('sends POST /conversations/messages/upload/complete with the upload details and the credential location', async () => {
		const scope = api()
			.post('/conversations/messages/upload/complete', {
				uploadId: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890',
				filePath: 'location/loc-TEST-1/conversations/conv-1/uuid.mp4',
				locationId: LOCATION_ID,
				conversationId: 'conv-1',
				filename: 'video.mp4',
			})
			.matchHeader('content-type', /application\/json/)
			.reply(200, completed);

		const { items, error } = await runNode({
			parameters: {
				resource: 'attachment',
				operation: 'completeUpload',
				uploadId: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890',
				filePath: 'location/loc-TEST-1/conversations/conv-1/uuid.mp4',
				conversationId: rl('conv-1'),
				filename: 'video.mp4',
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([completed]);
	});

	it('an Upload ID that is blank for an item is an error naming the field', async () => {
		const { error } = await runNode({
			parameters: {
				resource: 'attachment',
				operation: 'completeUpload',
				uploadId: '={{ $json.uploadId }}',
				filePath: 'location/x/uuid.mp4',
				conversationId: rl('conv-1'),
				filename: 'video.mp4',
			},
		});

		expect(error?.message).toBe('The "Upload ID" field is empty');
	});
});
