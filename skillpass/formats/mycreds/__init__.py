"""The Digitary MyCreds XML learner record (the Virtual Skills Passport pilot's input to MATTR),
kept as an unsigned record: always labelled "not verifiable", never shared as a verifiable
credential. `record` reads the XML, `format` is the wallet's side, `presented` the verifier's."""
