from tests.intake.conftest import utility  # noqa: F401 - the same small utility
from tests.smtp import smtp_server  # noqa: F401
