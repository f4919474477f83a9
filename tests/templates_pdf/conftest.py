import pytest

from tests.sales.conftest import *  # noqa: F401,F403


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    """Each test its own storage: cached PDFs and exports of one test never serve another."""
    settings.MEDIA_ROOT = tmp_path / "media"
