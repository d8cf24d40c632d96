"""JSON Schemas (2020-12) of the documents `--json` prints, one file a command:
`<command>.schema.json` (`show-fields`, `share-request`, `trust-add`... for a subcommand or a
mode). The passport's is skillpass/passport/passport.schema.json. tests/test_json_output.py runs
every command and validates its document against its schema."""
