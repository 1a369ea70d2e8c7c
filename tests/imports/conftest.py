import pytest

from tests.imports import files


@pytest.fixture
def import_file(tmp_path):
    """Write bytes to a file with a given name and return its path."""

    def write(data: bytes, name: str = "list.csv"):
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write


@pytest.fixture
def small_limits(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 200_000
    settings.IMPORT_MAX_ROWS = 50
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 5 * 1024 * 1024
    return settings


@pytest.fixture
def sample_rows():
    return [files.HEADER, *files.rows(3)]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
