"""Key encodings shared by the holder's identity and the proof suites."""
