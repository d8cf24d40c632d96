"""The commands, by group; `skillpass.cli` builds the app from them and runs it.

    common      the options every command shares (--home, --passphrase-file, --json) and the
                one output helper: the --json document, or text for a person
    wallet      init, did, passphrase, backup, restore
    credentials import, list, show, remove
    sharing     share, history
    verifying   verify, trust
    material    contexts, dids: what verification may use beside the bundle
    passport    passport, profile (and the filters list shares)
    demo        demo
    agent       unlock, lock: the key once per session (skillpass/agent/)

A command checks its flags, calls one `skillpass.flow` function and hands the result to
`common.output`. Heavy libraries are imported by the flow a command runs, never here.
"""
