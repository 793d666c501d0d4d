"""Domain errors of the accounts app (`clearinghouse.errors.DomainError`), with their codes."""

from django.db import models

from clearinghouse.errors import DomainError


class AccountsErrorCode(models.TextChoices):
    ALREADY_MEMBER = "already_member"
    BILLING_CONTACT_NOT_OURS = "billing_contact_not_ours"
    CONTACT_EMAIL_TAKEN = "contact_email_taken"
    EMAIL_TAKEN_ELSEWHERE = "email_taken_elsewhere"
    HAND_OVER_NOT_VALID = "hand_over_not_valid"
    HAND_OVER_TO_SELF = "hand_over_to_self"
    HOLDER_ONLY = "holder_only"
    INVALID_PEPPOL_ID = "invalid_peppol_id"
    INVALID_PEPPOL_IDENTIFIER = "invalid_peppol_identifier"
    INVITATION_NOT_VALID = "invitation_not_valid"
    LOGIN_OF_A_DONOR = "login_of_a_donor"
    MAIN_CONTACT_HAS_EVERY_RIGHT = "main_contact_has_every_right"
    MAIN_CONTACT_NOT_REMOVABLE = "main_contact_not_removable"
    MAIN_CONTACT_RECEIVES_EVERYTHING = "main_contact_receives_everything"
    NO_HAND_OVER = "no_hand_over"
    NO_PENDING_INVITATION = "no_pending_invitation"
    NO_SUB_ACCOUNT = "no_sub_account"
    NOT_ALLOWED = "not_allowed"
    NOT_OURS = "not_ours"
    NOTHING_ASKED = "nothing_asked"
    PASSWORD_OR_INVITATION_NEEDED = "password_or_invitation_needed"
    REASON_REQUIRED = "reason_required"
    REQUEST_NOT_OPEN = "request_not_open"
    REQUEST_OPEN = "request_open"
    RIGHT_NOT_GRANTABLE = "right_not_grantable"
    RIGHTS_NEED_EACH_OTHER = "rights_need_each_other"
    SIGN_IN_ADDRESS_NOT_EDITABLE = "sign_in_address_not_editable"
    SUB_ACCOUNT_NOT_ACTIVE = "sub_account_not_active"
    WEAK_PASSWORD = "weak_password"


class AccountsError(DomainError):
    codes = AccountsErrorCode


class ContactError(AccountsError):
    pass


class InvitationError(AccountsError):
    pass


class JoinRequestError(AccountsError):
    pass


class HandOverError(AccountsError):
    pass
