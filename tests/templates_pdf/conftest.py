from tests.sales.conftest import *  # noqa: F401,F403
