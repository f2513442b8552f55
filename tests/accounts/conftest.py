import pytest

from tests.factories import build_authz_world


@pytest.fixture
def world(db):
    """2 schools × 2 classes × 2 teachers × 4 students; parents P1, P2, P3."""
    return build_authz_world()
