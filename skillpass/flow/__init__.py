"""One function per command: the whole pipeline of each, readable top-down.

Each function takes plain values (paths, secret sources, ids, the time) and returns plain data
for the renderer. No printing, no option parsing. The modules follow skillpass/commands/:

    session      where the wallet is and how to unlock it
    wallet       init, did, passphrase, backup, restore
    credentials  import (detect -> parse -> verify -> store), list, show, remove
    sharing      share (select -> disclose -> present -> encode), history
    verifying    verify (the verifier's side; needs no wallet), trust
    material     contexts and DID documents kept in the wallet
    passport     the skills passport, and the profile it is headed with
    status       status lists: revoked and suspended credentials
    agent        unlock, lock: the data key kept by an agent (skillpass/agent/)
"""

from skillpass.flow.credentials import (
    SORTS,
    ImportOutcome,
    ListOptions,
    credential_fields,
    import_credentials,
    list_credentials,
    raw_credential,
    remove_credential,
    show_credential,
)
from skillpass.flow.material import (
    add_context,
    add_did_document,
    list_contexts,
    list_did_documents,
    read_did_document,
)
from skillpass.flow.passport import passport, profile, signed_page
from skillpass.flow.session import Session
from skillpass.flow.status import add_status_list, list_status_lists, refresh_status_lists
from skillpass.flow.sharing import ShareRequest, share, share_history
from skillpass.flow.verifying import (
    VerifierMaterial,
    trust_add,
    trust_list,
    trust_remove,
    verify_presentation_file,
)
from skillpass.flow.wallet import (
    backup_wallet,
    change_passphrase,
    holder_dids,
    init_wallet,
    restore_wallet,
)

__all__ = ["SORTS", "ImportOutcome", "ListOptions", "Session", "ShareRequest", "VerifierMaterial", "add_context",
           "add_status_list", "list_status_lists", "refresh_status_lists",
           "add_did_document", "backup_wallet", "change_passphrase", "credential_fields",
           "holder_dids", "import_credentials", "init_wallet", "list_contexts", "list_credentials",
           "list_did_documents", "passport", "profile", "signed_page", "raw_credential", "read_did_document", "remove_credential",
           "restore_wallet", "share", "share_history", "show_credential", "trust_add", "trust_list",
           "trust_remove", "verify_presentation_file"]
