import type { INodePropertyOptions } from 'n8n-workflow';

// Generated from the official spec's enums (search: lastMessageType; messages: type).

export const LAST_MESSAGE_TYPES: INodePropertyOptions[] = [
	{
		"name": "Activity Appointment",
		"value": "TYPE_ACTIVITY_APPOINTMENT"
	},
	{
		"name": "Activity Contact",
		"value": "TYPE_ACTIVITY_CONTACT"
	},
	{
		"name": "Activity Employee Action Log",
		"value": "TYPE_ACTIVITY_EMPLOYEE_ACTION_LOG"
	},
	{
		"name": "Activity Invoice",
		"value": "TYPE_ACTIVITY_INVOICE"
	},
	{
		"name": "Activity Opportunity",
		"value": "TYPE_ACTIVITY_OPPORTUNITY"
	},
	{
		"name": "Activity Payment",
		"value": "TYPE_ACTIVITY_PAYMENT"
	},
	{
		"name": "Activity WhatsApp",
		"value": "TYPE_ACTIVITY_WHATSAPP"
	},
	{
		"name": "Call",
		"value": "TYPE_CALL"
	},
	{
		"name": "Campaign Call",
		"value": "TYPE_CAMPAIGN_CALL"
	},
	{
		"name": "Campaign Email",
		"value": "TYPE_CAMPAIGN_EMAIL"
	},
	{
		"name": "Campaign Facebook",
		"value": "TYPE_CAMPAIGN_FACEBOOK"
	},
	{
		"name": "Campaign GMB",
		"value": "TYPE_CAMPAIGN_GMB"
	},
	{
		"name": "Campaign Manual Call",
		"value": "TYPE_CAMPAIGN_MANUAL_CALL"
	},
	{
		"name": "Campaign Manual SMS",
		"value": "TYPE_CAMPAIGN_MANUAL_SMS"
	},
	{
		"name": "Campaign SMS",
		"value": "TYPE_CAMPAIGN_SMS"
	},
	{
		"name": "Campaign Voicemail",
		"value": "TYPE_CAMPAIGN_VOICEMAIL"
	},
	{
		"name": "Custom Call",
		"value": "TYPE_CUSTOM_CALL"
	},
	{
		"name": "Custom Email",
		"value": "TYPE_CUSTOM_EMAIL"
	},
	{
		"name": "Custom Provider Email",
		"value": "TYPE_CUSTOM_PROVIDER_EMAIL"
	},
	{
		"name": "Custom Provider SMS",
		"value": "TYPE_CUSTOM_PROVIDER_SMS"
	},
	{
		"name": "Custom SMS",
		"value": "TYPE_CUSTOM_SMS"
	},
	{
		"name": "Email",
		"value": "TYPE_EMAIL"
	},
	{
		"name": "Facebook",
		"value": "TYPE_FACEBOOK"
	},
	{
		"name": "Facebook Comment",
		"value": "TYPE_FACEBOOK_COMMENT"
	},
	{
		"name": "Form Submission",
		"value": "TYPE_FORM_SUBMISSION"
	},
	{
		"name": "GMB",
		"value": "TYPE_GMB"
	},
	{
		"name": "Instagram",
		"value": "TYPE_INSTAGRAM"
	},
	{
		"name": "Instagram Comment",
		"value": "TYPE_INSTAGRAM_COMMENT"
	},
	{
		"name": "Internal Comment",
		"value": "TYPE_INTERNAL_COMMENT"
	},
	{
		"name": "IVR Call",
		"value": "TYPE_IVR_CALL"
	},
	{
		"name": "Live Chat",
		"value": "TYPE_LIVE_CHAT"
	},
	{
		"name": "Live Chat Info Message",
		"value": "TYPE_LIVE_CHAT_INFO_MESSAGE"
	},
	{
		"name": "RCS",
		"value": "TYPE_RCS"
	},
	{
		"name": "Review",
		"value": "TYPE_REVIEW"
	},
	{
		"name": "SMS",
		"value": "TYPE_SMS"
	},
	{
		"name": "SMS No Show Request",
		"value": "TYPE_SMS_NO_SHOW_REQUEST"
	},
	{
		"name": "SMS Reaction",
		"value": "TYPE_SMS_REACTION"
	},
	{
		"name": "SMS Review Request",
		"value": "TYPE_SMS_REVIEW_REQUEST"
	},
	{
		"name": "TikTok",
		"value": "TYPE_TIKTOK"
	},
	{
		"name": "TikTok Comment",
		"value": "TYPE_TIKTOK_COMMENT"
	},
	{
		"name": "Webchat",
		"value": "TYPE_WEBCHAT"
	},
	{
		"name": "WhatsApp",
		"value": "TYPE_WHATSAPP"
	}
];

export const MESSAGE_LIST_TYPES: INodePropertyOptions[] = [
	{
		"name": "Activity Appointment",
		"value": "TYPE_ACTIVITY_APPOINTMENT"
	},
	{
		"name": "Activity Contact",
		"value": "TYPE_ACTIVITY_CONTACT"
	},
	{
		"name": "Activity Employee Action Log",
		"value": "TYPE_ACTIVITY_EMPLOYEE_ACTION_LOG"
	},
	{
		"name": "Activity Invoice",
		"value": "TYPE_ACTIVITY_INVOICE"
	},
	{
		"name": "Activity Opportunity",
		"value": "TYPE_ACTIVITY_OPPORTUNITY"
	},
	{
		"name": "Activity Payment",
		"value": "TYPE_ACTIVITY_PAYMENT"
	},
	{
		"name": "Activity WhatsApp",
		"value": "TYPE_ACTIVITY_WHATSAPP"
	},
	{
		"name": "Call",
		"value": "TYPE_CALL"
	},
	{
		"name": "Email",
		"value": "TYPE_EMAIL"
	},
	{
		"name": "Facebook",
		"value": "TYPE_FACEBOOK"
	},
	{
		"name": "Form Submission",
		"value": "TYPE_FORM_SUBMISSION"
	},
	{
		"name": "GMB",
		"value": "TYPE_GMB"
	},
	{
		"name": "Instagram",
		"value": "TYPE_INSTAGRAM"
	},
	{
		"name": "Internal Comments",
		"value": "TYPE_INTERNAL_COMMENTS"
	},
	{
		"name": "Live Chat",
		"value": "TYPE_LIVE_CHAT"
	},
	{
		"name": "RCS",
		"value": "TYPE_RCS"
	},
	{
		"name": "SMS",
		"value": "TYPE_SMS"
	},
	{
		"name": "TikTok",
		"value": "TYPE_TIKTOK"
	},
	{
		"name": "WhatsApp",
		"value": "TYPE_WHATSAPP"
	}
];
