"""A test issuer: issue (being written)."""

from skillpass.commands.common import Json


def issue(json_output: Json = False) -> None:
    """Issue a test credential (a testing tool; not a real institution).

    \b
    Example:
      skillpass issue --name "Intro to Data Analysis" --out badge.json
    """
    from skillpass.errors import UsageError

    raise UsageError("skillpass issue is not ready yet", "use the demo meanwhile")
