/** Message and conversation types of the Conversations API, and how the sandbox's channels map to them. */

/** Message types in the spec's order (ConversationSchema.lastMessageType). */
export const MESSAGE_TYPES = [
	'TYPE_CALL',
	'TYPE_SMS',
	'TYPE_RCS',
	'TYPE_EMAIL',
	'TYPE_SMS_REVIEW_REQUEST',
	'TYPE_WEBCHAT',
	'TYPE_SMS_NO_SHOW_REQUEST',
	'TYPE_CAMPAIGN_SMS',
	'TYPE_CAMPAIGN_CALL',
	'TYPE_CAMPAIGN_EMAIL',
	'TYPE_CAMPAIGN_VOICEMAIL',
	'TYPE_FACEBOOK',
	'TYPE_CAMPAIGN_FACEBOOK',
	'TYPE_CAMPAIGN_MANUAL_CALL',
	'TYPE_CAMPAIGN_MANUAL_SMS',
	'TYPE_GMB',
	'TYPE_CAMPAIGN_GMB',
	'TYPE_REVIEW',
	'TYPE_INSTAGRAM',
	'TYPE_WHATSAPP',
	'TYPE_CUSTOM_SMS',
	'TYPE_CUSTOM_EMAIL',
	'TYPE_CUSTOM_PROVIDER_SMS',
	'TYPE_CUSTOM_PROVIDER_EMAIL',
	'TYPE_IVR_CALL',
	'TYPE_ACTIVITY_CONTACT',
	'TYPE_ACTIVITY_INVOICE',
	'TYPE_ACTIVITY_PAYMENT',
	'TYPE_ACTIVITY_OPPORTUNITY',
	'TYPE_LIVE_CHAT',
	'TYPE_LIVE_CHAT_INFO_MESSAGE',
	'TYPE_ACTIVITY_APPOINTMENT',
	'TYPE_FACEBOOK_COMMENT',
	'TYPE_INSTAGRAM_COMMENT',
	'TYPE_CUSTOM_CALL',
	'TYPE_INTERNAL_COMMENT',
	'TYPE_ACTIVITY_EMPLOYEE_ACTION_LOG',
	'TYPE_TIKTOK',
	'TYPE_TIKTOK_COMMENT',
	'TYPE_ACTIVITY_WHATSAPP',
	'TYPE_FORM_SUBMISSION',
	'TYPE_SMS_REACTION',
] as const;

export type MessageType = (typeof MESSAGE_TYPES)[number];

/**
 * The numeric `type` of a message. HighLevel numbers its message types in the order above,
 * from 1, with RCS (a later addition) at the end.
 */
export function messageTypeNumber(messageType: string): number {
	if (messageType === 'TYPE_RCS') return MESSAGE_TYPES.length;
	const withoutRcs = MESSAGE_TYPES.filter((type) => type !== 'TYPE_RCS') as readonly string[];
	const index = withoutRcs.indexOf(messageType);
	return index === -1 ? 0 : index + 1;
}

export const CONVERSATION_TYPES = ['TYPE_PHONE', 'TYPE_EMAIL', 'TYPE_FB_MESSENGER', 'TYPE_REVIEW', 'TYPE_GROUP_SMS'] as const;
export type ConversationType = (typeof CONVERSATION_TYPES)[number];

/** GET /conversations/{id} answers the conversation type as a number. */
export function conversationTypeNumber(type: ConversationType): number {
	return CONVERSATION_TYPES.indexOf(type) + 1;
}

/** The channels the seeded conversations are spread over. */
export type Channel = 'SMS' | 'Email' | 'Facebook' | 'Instagram' | 'WhatsApp' | 'LiveChat' | 'GMB';

export const CHANNELS: Record<Channel, { conversationType: ConversationType; messageType: MessageType; label: string }> = {
	SMS: { conversationType: 'TYPE_PHONE', messageType: 'TYPE_SMS', label: 'SMS' },
	Email: { conversationType: 'TYPE_EMAIL', messageType: 'TYPE_EMAIL', label: 'Email' },
	Facebook: { conversationType: 'TYPE_FB_MESSENGER', messageType: 'TYPE_FACEBOOK', label: 'Facebook' },
	Instagram: { conversationType: 'TYPE_FB_MESSENGER', messageType: 'TYPE_INSTAGRAM', label: 'Instagram' },
	WhatsApp: { conversationType: 'TYPE_PHONE', messageType: 'TYPE_WHATSAPP', label: 'WhatsApp' },
	LiveChat: { conversationType: 'TYPE_PHONE', messageType: 'TYPE_LIVE_CHAT', label: 'Live Chat' },
	GMB: { conversationType: 'TYPE_REVIEW', messageType: 'TYPE_REVIEW', label: 'Google reviews' },
};

/** SendMessageBodyDto.type → the message type it creates. */
export const SEND_TYPES: Record<string, MessageType> = {
	SMS: 'TYPE_SMS',
	RCS: 'TYPE_RCS',
	Email: 'TYPE_EMAIL',
	WhatsApp: 'TYPE_WHATSAPP',
	IG: 'TYPE_INSTAGRAM',
	FB: 'TYPE_FACEBOOK',
	Custom: 'TYPE_CUSTOM_PROVIDER_SMS',
	Live_Chat: 'TYPE_LIVE_CHAT',
	TIKTOK: 'TYPE_TIKTOK',
};

/** ProcessMessageBodyDto.type (inbound messages) → the message type it creates. */
export const INBOUND_TYPES: Record<string, MessageType> = {
	SMS: 'TYPE_SMS',
	RCS: 'TYPE_RCS',
	Email: 'TYPE_EMAIL',
	WhatsApp: 'TYPE_WHATSAPP',
	GMB: 'TYPE_GMB',
	IG: 'TYPE_INSTAGRAM',
	FB: 'TYPE_FACEBOOK',
	Custom: 'TYPE_CUSTOM_PROVIDER_SMS',
	WebChat: 'TYPE_WEBCHAT',
	Live_Chat: 'TYPE_LIVE_CHAT',
	Call: 'TYPE_CALL',
	IVR_Call: 'TYPE_IVR_CALL',
	Campaign_Call: 'TYPE_CAMPAIGN_CALL',
	Campaign_VoiceMail: 'TYPE_CAMPAIGN_VOICEMAIL',
	TIKTOK: 'TYPE_TIKTOK',
	ALL_IN_ONE_CHAT: 'TYPE_LIVE_CHAT',
	FORM_SUBMISSION: 'TYPE_FORM_SUBMISSION',
};

export const CALL_MESSAGE_TYPES: readonly string[] = [
	'TYPE_CALL',
	'TYPE_IVR_CALL',
	'TYPE_CAMPAIGN_CALL',
	'TYPE_CAMPAIGN_MANUAL_CALL',
	'TYPE_CAMPAIGN_VOICEMAIL',
	'TYPE_CUSTOM_CALL',
];

export const EMAIL_MESSAGE_TYPES: readonly string[] = [
	'TYPE_EMAIL',
	'TYPE_CAMPAIGN_EMAIL',
	'TYPE_CUSTOM_EMAIL',
	'TYPE_CUSTOM_PROVIDER_EMAIL',
];

/** The export's `channel` filter → the message types it selects. */
export const EXPORT_CHANNELS: Record<string, readonly string[]> = {
	Call: CALL_MESSAGE_TYPES,
	SMS: ['TYPE_SMS', 'TYPE_CAMPAIGN_SMS', 'TYPE_CAMPAIGN_MANUAL_SMS', 'TYPE_CUSTOM_SMS', 'TYPE_CUSTOM_PROVIDER_SMS'],
	Email: EMAIL_MESSAGE_TYPES,
	WhatsApp: ['TYPE_WHATSAPP', 'TYPE_ACTIVITY_WHATSAPP'],
	Instagram: ['TYPE_INSTAGRAM', 'TYPE_INSTAGRAM_COMMENT'],
	Facebook: ['TYPE_FACEBOOK', 'TYPE_FACEBOOK_COMMENT', 'TYPE_CAMPAIGN_FACEBOOK'],
};

/** The conversation type a new conversation gets from the message type that opens it. */
export function conversationTypeFor(messageType: string): ConversationType {
	if (EMAIL_MESSAGE_TYPES.includes(messageType)) return 'TYPE_EMAIL';
	if (messageType === 'TYPE_FACEBOOK' || messageType === 'TYPE_INSTAGRAM') return 'TYPE_FB_MESSENGER';
	if (messageType === 'TYPE_GMB' || messageType === 'TYPE_REVIEW') return 'TYPE_REVIEW';
	return 'TYPE_PHONE';
}

/** The sandbox channel of a message type (for the texts of simulated traffic). */
export function channelOf(messageType: string): Channel {
	switch (messageType) {
		case 'TYPE_EMAIL':
			return 'Email';
		case 'TYPE_FACEBOOK':
			return 'Facebook';
		case 'TYPE_INSTAGRAM':
			return 'Instagram';
		case 'TYPE_WHATSAPP':
			return 'WhatsApp';
		case 'TYPE_LIVE_CHAT':
		case 'TYPE_WEBCHAT':
			return 'LiveChat';
		case 'TYPE_GMB':
		case 'TYPE_REVIEW':
			return 'GMB';
		default:
			return 'SMS';
	}
}

/** Extensions the direct upload accepts (NOTES.md). */
export const UPLOAD_EXTENSIONS = ['jpg', 'jpeg', 'png', 'mp4', 'mpeg', 'zip', 'rar', 'pdf', 'doc', 'docx', 'txt', 'mp3', 'wav'];

export const CONTENT_TYPES: Record<string, string> = {
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	png: 'image/png',
	mp4: 'video/mp4',
	mpeg: 'video/mpeg',
	zip: 'application/zip',
	rar: 'application/vnd.rar',
	pdf: 'application/pdf',
	doc: 'application/msword',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	txt: 'text/plain',
	mp3: 'audio/mpeg',
	wav: 'audio/wav',
};

/** The message status of a call (the call's own status stays in `meta.callStatus`). */
export function callMessageStatus(callStatus: string | undefined): string {
	switch (callStatus) {
		case 'completed':
		case 'answered':
			return 'connected';
		case 'pending':
			return 'pending';
		case 'voicemail':
			return 'delivered';
		case undefined:
			return 'connected';
		default:
			return 'failed';
	}
}

export const CALL_STATUSES = ['pending', 'completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled', 'voicemail'] as const;
