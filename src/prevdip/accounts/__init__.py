"""Accounts: the people who sign in, their roles and what each may read, sessions, API tokens and passwords.

The role decides the audience (:mod:`prevdip.accounts.roles`); passwords are kept as Argon2id hashes, session ids
and tokens as digests (:mod:`prevdip.accounts.passwords`, :mod:`prevdip.accounts.keys`). Every change is written
with its audit entry (:mod:`prevdip.accounts.directory`).
"""

from prevdip.accounts.attempts import SignIn, claim_attempt, settle_attempt, sign_in
from prevdip.accounts.directory import (
    Accounts,
    add_user,
    create_token,
    disable_user,
    find_user,
    list_users,
    open_accounts,
    reset_password,
    revoke_tokens,
    set_language,
    set_role,
    tokens_of,
)
from prevdip.accounts.roles import AUDIENCE, CENTRE_STAFF, FIELD_REPORTERS, GOVERNMENTS, Role, role
from prevdip.accounts.sessions import Holder, end_session, open_session, session_holder, token_holder

__all__ = [
    "AUDIENCE",
    "CENTRE_STAFF",
    "FIELD_REPORTERS",
    "GOVERNMENTS",
    "Accounts",
    "Holder",
    "Role",
    "SignIn",
    "add_user",
    "claim_attempt",
    "create_token",
    "disable_user",
    "end_session",
    "find_user",
    "list_users",
    "open_accounts",
    "open_session",
    "reset_password",
    "revoke_tokens",
    "role",
    "session_holder",
    "set_language",
    "set_role",
    "settle_attempt",
    "sign_in",
    "token_holder",
    "tokens_of",
]
