import type { Resource } from '../../shared/operation';
import { addInbound } from './addInbound';
import { cancelScheduled } from './cancelScheduled';
import { exportOperation } from './export';
import { get } from './get';
import { getAll } from './getAll';
import { send } from './send';
import { sendAndWait } from './sendAndWait';
import { sendReviewReply } from './sendReviewReply';
import { setAttachments } from './setAttachments';
import { updateStatus } from './updateStatus';

export const message: Resource = {
	label: 'Message',
	value: 'message',
	defaultOperation: 'send',
	operations: [addInbound, cancelScheduled, exportOperation, get, getAll, send, sendAndWait, sendReviewReply, setAttachments, updateStatus],
};
