"""The unlock agent: one small process per wallet home that keeps the unwrapped data key in
memory for a while (`skillpass unlock`), so later commands skip the passphrase KDF.

    paths     where its socket lives ($XDG_RUNTIME_DIR/skillpass/ when private, else ~/.cache/skillpass/agent/)
    lockfile  the flock unlock holds while it replaces the agent of a home
    protocol  length-prefixed JSON, bounded in size
    server    the agent process itself (`python -m skillpass.agent.server`)
    client    what every command asks it, and `lock`
    launcher  how `unlock` starts it: detached, the key through a pipe

The client and the server import only the standard library: the client runs in every command
that opens the wallet, and costs a failed stat when no agent runs.
"""
