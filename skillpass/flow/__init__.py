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

import sys
import types

# Each name from its module, imported when first used (PEP 562): `skillpass verify` needs
# only flow.verifying, and importing every flow would cost it a tenth of its time.
_WHERE = {
    **dict.fromkeys(('SORTS', 'ImportOutcome', 'ListOptions', 'credential_fields', 'import_credentials', 'list_credentials', 'raw_credential', 'remove_credential', 'show_credential'), "credentials"),
    **dict.fromkeys(('add_context', 'add_did_document', 'list_contexts', 'list_did_documents', 'read_did_document'), "material"),
    **dict.fromkeys(('passport', 'profile', 'signed_page'), "passport"),
    **dict.fromkeys(('Session',), "session"),
    **dict.fromkeys(('add_status_list', 'list_status_lists', 'refresh_status_lists'), "status"),
    **dict.fromkeys(('ShareRequest', 'share', 'share_history'), "sharing"),
    **dict.fromkeys(('VerifierMaterial', 'trust_add', 'trust_list', 'trust_remove', 'verify_presentation_file'), "verifying"),
    **dict.fromkeys(('backup_wallet', 'change_passphrase', 'holder_dids', 'init_wallet', 'restore_wallet'), "wallet"),
}


class _Flow(types.ModuleType):
    """Loading the submodule skillpass.flow.passport sets the package's `passport` to it; the
    name stays the function, as it was when every flow was imported here."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _WHERE and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Flow


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib

    value = getattr(importlib.import_module(f"skillpass.flow.{module}"), name)
    globals()[name] = value
    return value


__all__ = ["SORTS", "ImportOutcome", "ListOptions", "Session", "ShareRequest", "VerifierMaterial", "add_context",
           "add_status_list", "list_status_lists", "refresh_status_lists",
           "add_did_document", "backup_wallet", "change_passphrase", "credential_fields",
           "holder_dids", "import_credentials", "init_wallet", "list_contexts", "list_credentials",
           "list_did_documents", "passport", "profile", "signed_page", "raw_credential", "read_did_document", "remove_credential",
           "restore_wallet", "share", "share_history", "show_credential", "trust_add", "trust_list",
           "trust_remove", "verify_presentation_file"]
