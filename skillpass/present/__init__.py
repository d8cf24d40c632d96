"""Sharing: what a learner can reveal, their choice, the disclosure, and the signed presentation.

    fields        every field a credential lets the learner reveal (`skillpass show ID --fields`)
    select        the learner's --reveal / --reveal-all, resolved to JSON pointers
    disclose      the credential to share: an ecdsa-sd-2023 disclosure, or the whole credential
    presentation  the VerifiablePresentation, signed by the holder's did:key for authentication

Nothing is imported here: the CLI imports these modules only in the commands that need them.
"""
