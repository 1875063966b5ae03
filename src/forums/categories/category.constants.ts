/** The vocabulary of category rows, kept apart from the entity class: approvals are the content policy's. */
import { APPROVALS, type Approval } from '../../publishing/content-policy';

export const APPROVAL_POLICIES = APPROVALS;
export type ApprovalPolicy = Approval;
