/** Dates as n8n gives them (date picker, expressions, Luxon) read in the workflow's time zone. */

/** Offset of a time zone from UTC at an instant, in milliseconds. */
function timeZoneOffset(instant: Date, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(instant);
	const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
	const wallClock = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
	return wallClock - (instant.getTime() - instant.getUTCMilliseconds());
}

/** A date without a time zone (as n8n's date picker gives it) is read in the workflow's time zone. */
export function parseDate(value: unknown, timeZone: string): Date | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
	if (typeof value === 'number') return parseDate(new Date(value), timeZone);
	if (value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		return parseDate(String((value as { toISO: () => string }).toISO()), timeZone);
	}
	const text = String(value).trim();
	const zoneless = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)?$/.test(text);
	if (zoneless) {
		const asUtc = new Date(`${text.replace(' ', 'T')}${text.length === 10 ? 'T00:00:00' : ''}Z`);
		if (Number.isNaN(asUtc.getTime())) return undefined;
		try {
			let result = new Date(asUtc.getTime() - timeZoneOffset(asUtc, timeZone));
			// Near a daylight-saving change the offset at the result can differ: use that one.
			result = new Date(asUtc.getTime() - timeZoneOffset(result, timeZone));
			return result;
		} catch {
			return asUtc; // An unknown time zone name: read the date as UTC.
		}
	}
	const date = new Date(text);
	return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * An instant as an ISO date in a time zone, with its offset ("2026-11-29T18:46:28.924-05:00"),
 * as n8n shows dates in the workflow's time zone. An unknown time zone name gives UTC ("…Z").
 */
export function isoInTimeZone(instant: Date, timeZone: string): string {
	let offset: number;
	try {
		offset = timeZoneOffset(instant, timeZone);
	} catch {
		return instant.toISOString();
	}
	if (offset === 0) return instant.toISOString();
	const wallClock = new Date(instant.getTime() + offset).toISOString().slice(0, -1);
	const minutes = Math.round(Math.abs(offset) / 60_000);
	const sign = offset < 0 ? '-' : '+';
	return `${wallClock}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
/** A millisecond time from the API: a number, digits, or an ISO date. NaN when it is none of them. */
export function timeOf(value: unknown): number {
	if (typeof value === 'number') return value;
	if (typeof value !== 'string' || !value.trim()) return NaN;
	if (/^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
	return Date.parse(value);
}
