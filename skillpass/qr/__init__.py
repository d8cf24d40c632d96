"""QR codes: drawing one (`code`), splitting a payload too big for one (`parts`), reading them
from pictures (`scan`), and the VPQR payload a presentation becomes (`vpqr`)."""
