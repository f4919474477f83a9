import pytest

from tests.assistant.conftest import _fake_openai_server, fake_openai, no_ai  # noqa: F401


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    """Document templates are checked by rendering PDFs; each test its own storage."""
    settings.MEDIA_ROOT = tmp_path / "media"
