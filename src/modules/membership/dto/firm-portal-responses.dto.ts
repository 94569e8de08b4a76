import { ApiProperty } from '@nestjs/swagger';
import { CATEGORY_KEYS } from '../categories.js';
import { DISTRICT_KEYS } from '../districts.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../entities/firm-document.entity.js';
import { FIRM_STATUSES, TIER_CODES } from '../entities/firm.entity.js';
import type { ChangeRequestState } from '../entities/firm-change-request.entity.js';
import { CHANGE_REQUEST_STATES } from './list-change-requests.dto.js';
import { INVITABLE_ROLES, type InvitableRole } from './invite-colleague.dto.js';

/** Response shapes of the firm record, documents and colleagues, for the OpenAPI document. */

export class LicenceResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() type!: string;
  @ApiProperty() number!: string;
  @ApiProperty() issuer!: string;
  @ApiProperty({ example: '2021-05-03' }) validFrom!: string;
  @ApiProperty({ type: String, nullable: true, example: '2026-05-02' }) validTo!: string | null;
}

export class FirmProfileResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) nameEn!: string | null;
  @ApiProperty() creditCode!: string;
  @ApiProperty({ type: String, nullable: true }) legalRepresentative!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Registered capital in fen (exact).' })
  registeredCapitalFen!: number | null;
  @ApiProperty({ type: String, nullable: true, example: '10,000,000.00' })
  registeredCapital!: string | null;
  @ApiProperty({ type: String, nullable: true }) establishedOn!: string | null;
  @ApiProperty({ type: String, nullable: true }) address!: string | null;
  @ApiProperty({ enum: DISTRICT_KEYS }) district!: string;
  @ApiProperty({ type: String, nullable: true }) website!: string | null;
  @ApiProperty({ type: String, nullable: true }) contactName!: string | null;
  @ApiProperty({ type: String, nullable: true }) contactPhone!: string | null;
  @ApiProperty({ type: String, nullable: true }) contactEmail!: string | null;
  @ApiProperty({ enum: FIRM_STATUSES }) status!: string;
  @ApiProperty({ enum: TIER_CODES, nullable: true }) tier!: string | null;
  @ApiProperty({ type: String, nullable: true }) memberSince!: string | null;
  @ApiProperty({ type: String, nullable: true }) suspendedUntil!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) signatoryUserId!: string | null;
  @ApiProperty({ enum: CATEGORY_KEYS, isArray: true }) categories!: string[];
  @ApiProperty({ type: [LicenceResponse] }) licences!: LicenceResponse[];
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class FieldChangeResponse {
  @ApiProperty() field!: string;
  @ApiProperty({ nullable: true, description: 'The earlier value (any JSON).' }) from!: unknown;
  @ApiProperty({ nullable: true, description: 'The new value (any JSON).' }) to!: unknown;
}

export class RevisionResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) changedAt!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorId!: string | null;
  @ApiProperty({ example: 'edit', description: "'edit', 'reviewed_change', 'applicant_change'…" })
  kind!: string;
  @ApiProperty({ type: [FieldChangeResponse] }) changes!: FieldChangeResponse[];
}

export class StatusEventResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: FIRM_STATUSES }) status!: string;
  @ApiProperty({ type: String, nullable: true }) reasonCategory!: string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true }) decisionRef!: string | null;
  @ApiProperty({ type: String, nullable: true }) until!: string | null;
  @ApiProperty({ format: 'date-time' }) effectiveAt!: string;
}

export class FirmHistoryResponse {
  @ApiProperty({ type: [RevisionResponse] }) revisions!: RevisionResponse[];
  @ApiProperty({ type: [StatusEventResponse] }) statusEvents!: StatusEventResponse[];
}

export class ChangeRequestResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) firmId!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { name: '深圳市新名称金融科技有限公司' },
    description: 'The requested values of name, creditCode, legalRepresentative.',
  })
  changes!: Record<string, string>;
  @ApiProperty({ enum: CHANGE_REQUEST_STATES }) state!: ChangeRequestState;
  @ApiProperty({ format: 'uuid' }) requestedBy!: string;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) decidedBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) comment!: string | null;
}

export class ChangeRequestListResponse {
  @ApiProperty({ type: [ChangeRequestResponse] }) items!: ChangeRequestResponse[];
}

export class DocumentResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) firmId!: string;
  @ApiProperty({ enum: DOCUMENT_KINDS }) kind!: DocumentKind;
  @ApiProperty() fileName!: string;
  @ApiProperty({ enum: ['application/pdf', 'image/jpeg', 'image/png'] }) contentType!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty({ description: 'SHA-256 of the content, hex.' }) sha256!: string;
  @ApiProperty({ format: 'uuid' }) uploadedBy!: string;
  @ApiProperty({ format: 'date-time' }) uploadedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) removedAt!: string | null;
}

export class DocumentListResponse {
  @ApiProperty({ type: [DocumentResponse] }) items!: DocumentResponse[];
}

export class ColleagueResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: INVITABLE_ROLES }) role!: string;
  @ApiProperty() isSignatory!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) removedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) joinedAt!: string;
}

export class InvitationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: INVITABLE_ROLES }) role!: InvitableRole;
  @ApiProperty({ format: 'uuid' }) invitedBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ enum: ['pending', 'accepted', 'revoked', 'expired'] }) state!: string;
}

export class ColleaguesResponse {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) signatoryUserId!: string | null;
  @ApiProperty({ type: [ColleagueResponse] }) colleagues!: ColleagueResponse[];
  @ApiProperty({ type: [InvitationResponse] }) invitations!: InvitationResponse[];
}

export class AcceptedInvitationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: INVITABLE_ROLES }) role!: string;
  @ApiProperty({ format: 'uuid' }) firmId!: string;
}
