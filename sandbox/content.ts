/** The words of the demo data: names, and message texts that carry keywords templates route on. */
import type { Random } from './random';

export const BUSINESS_NAME = 'Northwind Home Services';
export const BUSINESS_EMAIL = 'hello@northwind-home.example';
export const BUSINESS_PHONE = '+15125550100';

export const FIRST_NAMES = [
	'James',
	'Mary',
	'Robert',
	'Patricia',
	'John',
	'Jennifer',
	'Michael',
	'Linda',
	'David',
	'Elizabeth',
	'William',
	'Barbara',
	'Richard',
	'Susan',
	'Joseph',
	'Jessica',
	'Thomas',
	'Sarah',
	'Charles',
	'Karen',
	'Christopher',
	'Lisa',
	'Daniel',
	'Nancy',
	'Matthew',
	'Betty',
	'Anthony',
	'Sandra',
	'Mark',
	'Ashley',
	'Steven',
	'Kimberly',
	'Andrew',
	'Emily',
	'Joshua',
	'Michelle',
	'Kevin',
	'Amanda',
	'Brian',
	'Melissa',
	'Luis',
	'Sofia',
	'Mateo',
	'Camila',
	'Wei',
	'Mei',
	'Arjun',
	'Ananya',
	'Kenji',
	'Yuki',
	'Omar',
	'Layla',
	'Lukas',
	'Hannah',
	'Pierre',
	'Chloe',
	'Ivan',
	'Olga',
	'Kwame',
	'Amara',
];

export const LAST_NAMES = [
	'Smith',
	'Johnson',
	'Williams',
	'Brown',
	'Jones',
	'Garcia',
	'Miller',
	'Davis',
	'Rodriguez',
	'Martinez',
	'Hernandez',
	'Lopez',
	'Gonzalez',
	'Wilson',
	'Anderson',
	'Thomas',
	'Taylor',
	'Moore',
	'Jackson',
	'Martin',
	'Lee',
	'Perez',
	'Thompson',
	'White',
	'Harris',
	'Sanchez',
	'Clark',
	'Ramirez',
	'Lewis',
	'Robinson',
	'Walker',
	'Young',
	'Allen',
	'King',
	'Wright',
	'Scott',
	'Torres',
	'Nguyen',
	'Hill',
	'Flores',
	'Chen',
	'Patel',
	'Tanaka',
	'Kowalski',
	'Novak',
	'Schmidt',
	'Dubois',
	'Rossi',
	'Haddad',
	'Okafor',
];

export const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org', 'mail.example', 'inbox.example'];

export const COMPANIES = [
	'Bluebird Bakery',
	'Summit Dental',
	'Harbor Yoga',
	'Maple & Co',
	'Riverside Realty',
	'Pixel Forge',
	'Green Leaf Landscaping',
	'Copper Kettle Cafe',
	'Atlas Logistics',
	'Brightside Pediatrics',
];

/** US area codes; numbers use the 555-01xx range reserved for fiction. */
export const AREA_CODES = [
	'212',
	'213',
	'305',
	'312',
	'404',
	'415',
	'469',
	'503',
	'512',
	'602',
	'617',
	'702',
	'720',
	'737',
	'786',
	'813',
	'858',
	'917',
	'929',
	'971',
];

export const PRODUCTS = [
	'smart thermostat',
	'espresso machine',
	'standing desk',
	'air purifier',
	'robot vacuum',
	'water heater',
	'security camera',
	'dishwasher',
	'heat pump',
	'garage door opener',
];

export const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const TIMES = ['9:00 am', '10:30 am', '11:00 am', '1:00 pm', '2:30 pm', '4:00 pm', '5:15 pm'];

export type Topic = 'refund' | 'invoice' | 'payment' | 'quote' | 'appointment' | 'cancel' | 'support' | 'review';

export const TOPICS: readonly Topic[] = ['refund', 'invoice', 'payment', 'quote', 'appointment', 'cancel', 'support'];

/** Which team usually handles a topic. */
export const TOPIC_OWNER: Record<Topic, string> = {
	refund: 'user-billing',
	invoice: 'user-billing',
	payment: 'user-billing',
	quote: 'user-sales',
	appointment: 'user-sales',
	cancel: 'user-support',
	support: 'user-support',
	review: 'user-support',
};

export interface TextVars {
	first: string;
	agent: string;
	order: string;
	invoice: string;
	amount: string;
	product: string;
	day: string;
	time: string;
	company: string;
}

export function textVars(random: Random, first: string, agent: string): TextVars {
	return {
		first,
		agent,
		order: String(random.int(10200, 48999)),
		invoice: `INV-${random.int(1000, 9999)}`,
		amount: `${random.int(29, 1890)}.${random.pick(['00', '50', '99', '25'])}`,
		product: random.pick(PRODUCTS),
		day: random.pick(DAYS),
		time: random.pick(TIMES),
		company: BUSINESS_NAME,
	};
}

export function fill(template: string, vars: TextVars): string {
	return template
		.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? vars[name as keyof TextVars] : match))
		.replace(/\b([Aa]) (?=[aeiou])/g, '$1n ');
}

/** First message of a customer, by topic. */
export const OPENERS: Record<Topic, string[]> = {
	refund: [
		'Hi, I would like a refund for order #{order}. The {product} arrived damaged.',
		'Hello, can I get a refund? I returned the {product} last week (order #{order}).',
		'I was charged for a {product} I never received. Please refund order #{order}.',
	],
	invoice: [
		'Hi, could you resend invoice {invoice}? I cannot find it in my inbox.',
		'There is a mistake on invoice {invoice}: we were billed twice for the {product} installation.',
		'Can I get an invoice with our company name on it for order #{order}?',
	],
	payment: [
		'My card payment failed for order #{order}. Can I pay by bank transfer instead?',
		'Just made the payment of ${amount} for {invoice}, can you confirm you received it?',
		'Is it possible to split the payment for the {product} into 3 installments?',
	],
	quote: [
		'Hi! How much would it cost to install a {product}? Could you send me a quote?',
		'What is your price for a {product} plus installation? Looking for a quote this week.',
		'Can you give me a price estimate for servicing 3 units? Need a quote for my landlord.',
	],
	appointment: [
		'Hi, can I book an appointment for {day} at {time} to look at my {product}?',
		'I need to reschedule my booking on {day}. Is {time} still available?',
		'Do you have any appointment slots this week? My {product} needs a checkup.',
	],
	cancel: [
		'Please cancel my maintenance subscription, I am moving out next month.',
		'I want to cancel my appointment on {day}. Sorry for the short notice.',
		'How do I cancel order #{order}? I ordered the wrong {product}.',
	],
	support: [
		'My {product} is broken, it will not turn on since yesterday. Can you help?',
		'Need help: the {product} you installed is making a loud noise.',
		'The app says my {product} is offline again. Help please, it is freezing in here!',
	],
	review: [
		'Fantastic service, the technician was on time and fixed our {product} in an hour.',
		'Friendly team and fair price for the {product} install. Would recommend.',
		'Waited two days for a callback about my broken {product}. Fixed in the end, but slow.',
		'Terrible experience, the {product} is still broken after two visits.',
	],
};

/** Later messages of a customer, by topic. */
export const FOLLOW_UPS: Record<Topic, string[]> = {
	refund: ['Any update on my refund?', 'Still waiting for the refund of ${amount}, it has been a week.', 'Got the refund, thanks!'],
	invoice: [
		'Thanks, got the invoice. Our accounts team will pay it this week.',
		'The corrected invoice still shows the old amount, can you check?',
		'Could you also add our VAT number to the invoice?',
	],
	payment: ['Payment sent just now.', 'The payment link says it expired, can you send a new one?', 'Thanks for confirming the payment!'],
	quote: [
		'Thanks for the quote. Is there a discount if we book two units?',
		'The price looks good, how soon could you start?',
		'Can you send the quote by email so I can share it with my partner?',
	],
	appointment: [
		'{day} at {time} works for me, please confirm the booking.',
		'Confirmed, see you then!',
		'Running 10 minutes late for the appointment, sorry.',
	],
	cancel: [
		'Please confirm the cancellation by email.',
		'Thanks, and will I be charged a cancellation fee?',
		'Actually, please do not cancel yet, I will call tomorrow.',
	],
	support: [
		'Tried restarting it, still broken.',
		'It works again, thanks for the help!',
		'Can someone come by {day}? It is still not working.',
	],
	review: ['Thanks for the reply!', 'Appreciate you following up.'],
};

/** An agent's replies, by topic. */
export const REPLIES: Record<Topic, string[]> = {
	refund: [
		'Sorry about that, {first}! I have started the refund for order #{order}; it should reach your account in 5 to 7 business days.',
		'Hi {first}, could you send a photo of the damaged {product}? Then I can approve the refund right away.',
		'Your refund of ${amount} was processed today. Thanks for your patience!',
	],
	invoice: [
		'Hi {first}, I just resent invoice {invoice} to your email address.',
		'Apologies for the duplicate charge, I have corrected invoice {invoice} and sent the new version.',
		'Sure, the updated invoice is on its way.',
	],
	payment: [
		'Hi {first}, yes, bank transfer is fine. Please use {invoice} as the reference.',
		'Payment of ${amount} received, thank you!',
		'Here is a new payment link: https://pay.northwind-home.example/{invoice}',
	],
	quote: [
		'Hi {first}! A {product} with installation is ${amount}. I will email you a detailed quote.',
		'Thanks for your interest! The price depends on the model; can we book a free site visit?',
		'We can offer 10% off the second unit. Shall I prepare the quote?',
	],
	appointment: [
		'Hi {first}, you are booked for {day} at {time}. Reply C to confirm or R to reschedule.',
		'{day} at {time} is available, I have moved your appointment.',
		'No problem, our technician will wait for you.',
	],
	cancel: [
		'Hi {first}, your cancellation is confirmed. No fee applies.',
		'Sorry to see you go! I have cancelled order #{order}; the refund follows in a few days.',
		'Done, your appointment on {day} is cancelled. Let us know when you want to rebook.',
	],
	support: [
		'Sorry to hear that, {first}. Could you try holding the reset button for 10 seconds?',
		'A technician can come by {day} at {time} to fix the {product}. Does that work?',
		'Glad it works again! Let us know if you need any more help.',
	],
	review: [
		'Thank you for the kind words, {first}! We are happy the team could help.',
		'Hi {first}, we are sorry about the wait. Please call us so we can make it right.',
	],
};

/** Messages sent by workflows (automated), by topic. */
export const AUTOMATED: Record<Topic, string[]> = {
	refund: ['Thanks for contacting {company}! Your refund request #{order} was received; a team member will reply shortly.'],
	invoice: ['Your invoice {invoice} of ${amount} from {company} is ready: https://pay.northwind-home.example/{invoice}'],
	payment: ['Reminder: invoice {invoice} of ${amount} is due on {day}. Pay online: https://pay.northwind-home.example/{invoice}'],
	quote: ['Thanks for your quote request! A {company} advisor will get back to you within one business day.'],
	appointment: ['Reminder from {company}: your appointment is on {day} at {time}. Reply C to confirm or R to reschedule.'],
	cancel: ['We received your cancellation request. A team member will confirm it shortly.'],
	support: ['Thanks for reaching out to {company} support! A technician will reply shortly.'],
	review: ['Thanks for your review of {company}!'],
};

export const EMAIL_SUBJECTS: Record<Topic, string[]> = {
	refund: ['Refund request for order #{order}', 'Where is my refund?'],
	invoice: ['Invoice {invoice}', 'Question about invoice {invoice}'],
	payment: ['Payment for {invoice}', 'Payment failed'],
	quote: ['Quote request: {product}', 'Price for {product} installation'],
	appointment: ['Booking an appointment', 'Reschedule my appointment'],
	cancel: ['Cancel my subscription', 'Cancellation of order #{order}'],
	support: ['Help: {product} broken', 'Problem with my {product}'],
	review: ['Your review'],
};

/** One sentence of a call's transcript: who speaks and what they say. */
export interface ScriptLine {
	speaker: 'agent' | 'contact';
	text: string;
}

export function callScript(topic: Topic, vars: TextVars): ScriptLine[] {
	const opener: ScriptLine = {
		speaker: 'agent',
		text: `Thanks for calling ${vars.company}, this is ${vars.agent}. This call may be recorded for quality assurance purposes.`,
	};
	const byTopic: Record<Topic, ScriptLine[]> = {
		refund: [
			{ speaker: 'contact', text: `Hi, I am calling about a refund for order ${vars.order}. The ${vars.product} arrived broken.` },
			{ speaker: 'agent', text: 'I am sorry to hear that. Let me pull up the order.' },
			{ speaker: 'agent', text: `I have issued the refund of ${vars.amount} dollars, it will show up in about a week.` },
			{ speaker: 'contact', text: 'Great, thank you so much.' },
		],
		invoice: [
			{ speaker: 'contact', text: `Hi, I have a question about invoice ${vars.invoice}. I think we were charged twice.` },
			{ speaker: 'agent', text: 'Let me check. You are right, I will send a corrected invoice today.' },
			{ speaker: 'contact', text: 'Perfect, thanks.' },
		],
		payment: [
			{ speaker: 'contact', text: 'Hi, my card payment keeps failing on your website.' },
			{ speaker: 'agent', text: `I can take the payment of ${vars.amount} over the phone, or send you a new payment link.` },
			{ speaker: 'contact', text: 'A new link would be great.' },
		],
		quote: [
			{ speaker: 'contact', text: `Hi, I would like a price quote for a ${vars.product} with installation.` },
			{ speaker: 'agent', text: `Sure. That would be around ${vars.amount} dollars, depending on the model.` },
			{ speaker: 'contact', text: 'Could you email me the quote?' },
			{ speaker: 'agent', text: 'Of course, you will have it within the hour.' },
		],
		appointment: [
			{ speaker: 'contact', text: `Hi, I would like to book an appointment for my ${vars.product}.` },
			{ speaker: 'agent', text: `We have ${vars.day} at ${vars.time} available. Does that work?` },
			{ speaker: 'contact', text: 'Yes, that works, please book it.' },
			{ speaker: 'agent', text: 'Done, you will get a confirmation by text message.' },
		],
		cancel: [
			{ speaker: 'contact', text: `Hi, I need to cancel my appointment on ${vars.day}.` },
			{ speaker: 'agent', text: 'No problem, it is cancelled. Would you like to rebook?' },
			{ speaker: 'contact', text: 'Not right now, thank you.' },
		],
		support: [
			{ speaker: 'contact', text: `Hi, my ${vars.product} is broken and I need help.` },
			{ speaker: 'agent', text: 'Let us try a reset first. Hold the power button for ten seconds.' },
			{ speaker: 'contact', text: 'Okay, it is restarting. It works now!' },
			{ speaker: 'agent', text: 'Great. Call us anytime if it happens again.' },
		],
		review: [{ speaker: 'contact', text: 'I just wanted to say thanks for the great service.' }],
	};
	return [opener, ...byTopic[topic]];
}

/** Plain text of an HTML body (for previews and search). */
export function htmlToText(html: string): string {
	return html
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<\/p>/gi, '\n')
		.replace(/<[^>]*>/g, '')
		.replace(/&nbsp;/g, ' ')
		.replace(/&amp;/g, '&')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/\n{2,}/g, '\n')
		.trim();
}

export function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An email body around a message text. */
export function emailHtml(greeting: string, text: string, signature: string): string {
	return `<p>${escapeHtml(greeting)},</p><p>${escapeHtml(text)}</p><p>Best regards,<br>${escapeHtml(signature)}</p>`;
}
